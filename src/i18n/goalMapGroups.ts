/**
 * The goal map's development areas and the groups across schools that work
 * on them (src/domain/goalMapGroups.ts): names, kinds and numbers of members
 * only, never who they are or what anyone answered.
 */
export const goalMapGroupsSv = {
  heading: 'Utvecklingsområden och grupper',
  note: 'Nätverk och utvecklingsgrupper över skolorna det här läsåret. Här syns bara antal medlemmar, aldrig vad någon har svarat.',
  mineNote: 'Här drivs arbetet med dina övergripande mål över skolorna det här läsåret.',
  members: (n: number) => (n === 1 ? '1 medlem' : `${n} medlemmar`),
  group: (name: string, kind: string, members: string) => `${name} · ${kind} · ${members}`,
  noGroups: 'Ingen grupp det här läsåret.',
  otherGroups: 'Andra grupper över skolorna',
};

export const goalMapGroupsEn: typeof goalMapGroupsSv = {
  heading: 'Development areas and groups',
  note: 'Networks and development groups across the schools this school year. Only the number of members is shown, never what anyone answered.',
  mineNote: 'Where the work on your overarching goals is carried across the schools this school year.',
  members: (n: number) => (n === 1 ? '1 member' : `${n} members`),
  group: (name: string, kind: string, members: string) => `${name} · ${kind} · ${members}`,
  noGroups: 'No group this school year.',
  otherGroups: 'Other groups across the schools',
};
