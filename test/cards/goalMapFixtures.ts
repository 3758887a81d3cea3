/**
 * The goal map's sample cards for `npm run cards` and test/cards: each view
 * (a teacher's own chain, confirmed and as a draft, and with no goals; a
 * principal's school; every school for a manager), on the demo organisation,
 * and the largest a real organisation makes: a school of 80 teachers with
 * 10 goals, and 20 such schools, which must stay within the card budget;
 * and the development areas with their groups across schools, in a
 * teacher's chain and in the overviews (with as many groups as a large
 * organisation runs).
 */
import { join } from 'node:path';
import { goalMapCard, goalMapData } from '../../src/cards/goalMap';
import type { AdaptiveCard } from '../../src/cards/render';
import { type Dialogue, type GoalDraft, newParticipation } from '../../src/domain/goalDialogue';
import { type GoalMap, type GoalMapView, mineMap, organisationMap, schoolMap, schoolPart, type TeacherWork } from '../../src/domain/goalMap';
import { groupsAcrossSchoolsOf } from '../../src/domain/goalMapGroups';
import type { GroupAcrossSchools } from '../../src/domain/learningGroupRepository';
import { Organisation } from '../../src/domain/organisation';
import { goalsFromOrganisation, type SchoolGoal } from '../../src/domain/schoolGoals';
import { type Language, stringsFor } from '../../src/i18n';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';

const demo = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));
const year = demo.schoolYearById('2026-27')!;
const seededAt = new Date('2026-08-01T00:00:00Z');

function dialogueOf(schoolGoals: SchoolGoal[], language: Language): Dialogue {
  return {
    id: 'dlg-ht26',
    tenantId: 'tenant',
    schoolId: schoolGoals[0]?.schoolId ?? 'exempelskolan',
    title: language === 'sv' ? 'Målsamtal HT 2026' : 'Goal dialogue autumn 2026',
    schoolGoals: schoolGoals.map(({ id, title, serves }) => ({ id, title, serves })),
    deadline: '2026-09-30',
    participants: [],
    reminders: { enabled: true, daysBefore: [7, 2] },
    principal: { aadObjectId: 'aad-rut', userId: '29:rut', name: 'Rut Rektorsson' },
    channel: { conversationId: '19:personal@thread.tacv2', serviceUrl: 'https://smba.example/' },
    status: 'open',
    createdAt: '2026-09-01T08:00:00.000Z',
  };
}

const goal = (schoolGoalIds: string[], text: string): GoalDraft => ({ schoolGoalIds, goal: text, supportSkipped: false, followedUp: [] });

function workOf(dialogue: Dialogue, teacher: string, goals: GoalDraft[], confirmed: boolean): TeacherWork {
  const participation = {
    ...newParticipation(dialogue.id, { aadObjectId: teacher, userId: `29:${teacher}`, name: teacher }, new Date(dialogue.createdAt)),
    status: confirmed ? ('done' as const) : ('in-progress' as const),
    goals,
    versions: confirmed ? 1 : 0,
  };
  return confirmed ? { dialogue, participation, confirmed: goals } : { dialogue, participation };
}

/** A large organisation: `schools` schools of 10 goals each (titles as long as real ones), every school with a fokusområde. */
function largeOrganisation(schools: number): { organisation: Organisation; goals: SchoolGoal[] } {
  const base = demo.file.schools[0]!;
  const organisation = new Organisation({
    ...demo.file,
    schools: Array.from({ length: schools }, (_, s) => ({
      ...base,
      id: `skola-${s + 1}`,
      name: `${['Ängs', 'Norr', 'Söder', 'Väster', 'Öster'][s % 5]}skolan F–9 (enhet ${s + 1})`,
      teamId: `19:skola-${s + 1}@thread.tacv2`,
      focusArea: { title: 'Språk- och kunskapsutvecklande arbetssätt (SKUA) i alla ämnen', period: 'Läsåret 2026/27', goals: ['mal-1', 'mal-4'] },
      goals: Array.from({ length: 10 }, (_, g) => ({
        id: `mal-${g + 1}`,
        title: `Mål ${g + 1}: fler elever når kunskapskraven i svenska, engelska och matematik och upplever studiero i klassrummet`,
        // Every third school leaves "resultat" without a goal: a gap.
        serves: s % 3 === 2 ? ['trygghet'] : g % 2 === 0 ? ['trygghet'] : ['resultat', 'trygghet'],
        hows: [],
        areas: [],
      })),
    })),
  });
  return { organisation, goals: goalsFromOrganisation(organisation, seededAt) };
}

/**
 * `perArea` groups across schools for each development area of the demo
 * file but the last (left without one), and two förstelärarnätverk.
 */
function groupsAcrossSchools(perArea: number, language: Language): GroupAcrossSchools[] {
  const sv = language === 'sv';
  const areas = demo.file.organisation.developmentAreas.slice(0, -1);
  const kinds = ['nätverk', 'utvecklingsgrupp'] as const;
  return [
    ...areas.flatMap((area, a) =>
      Array.from({ length: perArea }, (_, g) => ({
        groupId: `group-${a}-${g}`,
        name: sv ? `${area.title} – ${kinds[g % 2]} ${g + 1} för åk 4–9` : `${area.title} – ${kinds[g % 2]} ${g + 1} for years 4–9`,
        kind: kinds[g % 2]!,
        areaId: area.id,
        members: 6 + ((a + g) % 20),
        schoolYearId: year.id,
        createdAt: '2026-09-01T08:00:00.000Z',
      })),
    ),
    ...[1, 2].map((n) => ({
      groupId: `lead-${n}`,
      name: sv ? `Förstelärarnätverket ${n === 1 ? 'F–6' : '7–9'}` : `Lead teachers ${n === 1 ? 'F–6' : '7–9'}`,
      kind: 'förstelärarnätverk' as const,
      members: 14,
      schoolYearId: year.id,
      createdAt: '2026-09-02T08:00:00.000Z',
    })),
  ];
}

/** The map with the development areas and their groups, as GoalMapService adds them (a teacher's: only those serving her chain). */
function withGroups<M extends GoalMap>(map: M, groups: GroupAcrossSchools[], organisation = demo): M {
  const serving = map.view === 'mine' ? new Set(map.overarching.map((goal) => goal.id)) : undefined;
  return { ...map, acrossSchools: groupsAcrossSchoolsOf(organisation, year, groups, () => year.id, serving) };
}

interface Sample {
  template: string;
  state: string;
  card: AdaptiveCard;
}

export function goalMapSamples(language: Language): Sample[] {
  const strings = stringsFor(language);
  const sv = language === 'sv';
  const card = (map: Parameters<typeof goalMapData>[1], views: GoalMapView[]) => goalMapCard(goalMapData(strings, map, views));

  const demoGoals = goalsFromOrganisation(demo, seededAt);
  const exempelskolan = demo.schoolById('exempelskolan')!;
  const exempelGoals = demoGoals.filter((g) => g.schoolId === 'exempelskolan');
  const dialogue = dialogueOf(exempelGoals, language);
  const annasGoals = [
    goal(
      ['studiero', 'las-och-skriv'],
      sv
        ? 'Mina elever i 4B läser varje dag och kan berätta om vad de läst för en kamrat. '.repeat(5)
        : 'My pupils in 4B read every day and can tell a classmate what they have read. '.repeat(5),
    ),
    goal(
      ['formativ-bedomning'],
      sv
        ? 'Varje lektion i matematik börjar med målet och slutar med en exit ticket.'
        : 'Every maths lesson starts with the goal and ends with an exit ticket.',
    ),
    goal(['studiero'], sv ? 'Lugnare starter efter lunchrasten.' : 'Calmer starts after the lunch break.'),
  ];
  const confirmed = mineMap(demo, year, workOf(dialogue, 'anna', annasGoals, true), demoGoals);
  const draft = mineMap(demo, year, workOf(dialogue, 'anna', annasGoals.slice(2), false), demoGoals);
  const none = mineMap(demo, year, undefined, []);

  const demoWork = [
    workOf(dialogue, 'anna', annasGoals, true),
    workOf(dialogue, 'erik', [goal(['studiero'], 'x')], true),
    workOf(dialogue, 'fatima', [goal(['las-och-skriv'], 'y')], false),
  ];
  const retired = exempelGoals.map((g) => (g.id === 'formativ-bedomning' || g.id === 'las-och-skriv' ? { ...g, status: 'retired' as const } : g));

  const large = largeOrganisation(20);
  const bigSchool = large.organisation.file.schools[0]!;
  const bigGoals = large.goals.filter((g) => g.schoolId === bigSchool.id);
  const bigDialogue = dialogueOf(bigGoals, language);
  const eighty = Array.from({ length: 80 }, (_, t) =>
    workOf(
      bigDialogue,
      `teacher-${t}`,
      [0, 1, 2].map((n) => goal([`mal-${((t + n) % 10) + 1}`], 'text')),
      t % 4 !== 0,
    ),
  );
  const goalsBySchool = new Map<string, SchoolGoal[]>();
  for (const g of large.goals) goalsBySchool.set(g.schoolId, [...(goalsBySchool.get(g.schoolId) ?? []), g]);

  return [
    { template: 'goalMap', state: 'teacher-confirmed', card: card(confirmed, ['mine']) },
    { template: 'goalMap', state: 'teacher-draft', card: card(draft, ['mine']) },
    { template: 'goalMap', state: 'teacher-no-goals', card: card(none, ['mine']) },
    {
      template: 'goalMap',
      state: 'teacher-with-earlier-years',
      card: goalMapCard(
        goalMapData(
          strings,
          confirmed,
          ['mine', 'school'],
          [
            { id: '2027-28', name: sv ? 'Läsåret 2027/28' : 'School year 2027/28' },
            { id: '2026-27', name: sv ? 'Läsåret 2026/27' : 'School year 2026/27' },
            { id: '2025-26', name: sv ? 'Läsåret 2025/26' : 'School year 2025/26' },
            { id: '2024-25', name: sv ? 'Läsåret 2024/25' : 'School year 2024/25' },
          ],
        ),
      ),
    },
    {
      template: 'goalMap',
      state: 'principal-counts',
      card: card(schoolMap(year, [schoolPart(demo, exempelskolan, exempelGoals, demoWork)]), ['mine', 'school']),
    },
    {
      template: 'goalMap',
      state: 'principal-gap',
      card: card(schoolMap(year, [schoolPart(demo, exempelskolan, retired, demoWork)]), ['mine', 'school']),
    },
    {
      template: 'goalMap',
      state: 'principal-80-teachers-10-goals',
      card: card(schoolMap(year, [schoolPart(large.organisation, bigSchool, bigGoals, eighty)]), ['mine', 'school', 'all']),
    },
    {
      template: 'goalMap',
      state: 'manager-two-schools',
      card: card(
        organisationMap(demo, year, new Map([...new Set(demoGoals.map((g) => g.schoolId))].map((id) => [id, demoGoals.filter((g) => g.schoolId === id)]))),
        ['mine', 'all'],
      ),
    },
    {
      template: 'goalMap',
      state: 'manager-20-schools-10-goals',
      card: card(organisationMap(large.organisation, year, goalsBySchool), ['mine', 'school', 'all']),
    },
    { template: 'goalMap', state: 'teacher-with-groups', card: card(withGroups(confirmed, groupsAcrossSchools(2, language)), ['mine']) },
    {
      template: 'goalMap',
      state: 'principal-with-groups',
      card: card(withGroups(schoolMap(year, [schoolPart(demo, exempelskolan, exempelGoals, demoWork)]), groupsAcrossSchools(2, language)), ['mine', 'school']),
    },
    {
      template: 'goalMap',
      state: 'manager-20-schools-4-groups-per-area',
      card: card(withGroups(organisationMap(large.organisation, year, goalsBySchool), groupsAcrossSchools(4, language), large.organisation), [
        'mine',
        'school',
        'all',
      ]),
    },
  ];
}
