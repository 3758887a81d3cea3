import type { GroupKind } from './learningGroup';
import type { GroupAcrossSchools } from './learningGroupRepository';
import type { Organisation, SchoolYear } from './organisation';

/**
 * The goal map's development areas (seed 002: SKUA, AMO, Ledarskap,
 * Matematik) with the groups across schools that work on each (nätverk,
 * utvecklingsgrupp) in the map's läsår, and the groups across schools that
 * name no area (a förstelärarnätverk). A group shows its name, kind and
 * number of members: never who they are or what anyone answered. Pure: the
 * reading is in goalMapService.ts, the words in src/cards/goalMap.ts.
 */

export interface MapGroup {
  name: string;
  kind: GroupKind;
  members: number;
}

export interface MapDevelopmentArea {
  id: string;
  title: string;
  /** The overarching goals it serves (ids), in the organisation's order. */
  serves: string[];
  groups: MapGroup[];
}

export interface MapGroupsAcrossSchools {
  areas: MapDevelopmentArea[];
  /** Groups across schools with no area of the file (none named, or one the file no longer has). */
  otherGroups: MapGroup[];
}

/**
 * The organisation's development areas in the file's order, each with its
 * groups of the läsår (oldest first). `serving`: only the areas that serve
 * one of these overarching goals, and only those with a group (a teacher's
 * own chain); without it every area, with or without groups, and the
 * groups without an area (a principal's or a manager's overview).
 * `yearOf` says the läsår of a group from before läsår were kept.
 */
export function groupsAcrossSchoolsOf(
  organisation: Organisation,
  year: SchoolYear,
  groups: readonly GroupAcrossSchools[],
  yearOf: (group: GroupAcrossSchools) => string,
  serving?: ReadonlySet<string>,
): MapGroupsAcrossSchools {
  const order = new Map(organisation.overarchingGoals().map((goal, index) => [goal.id, index]));
  const ofYear = groups.filter((group) => (group.schoolYearId ?? yearOf(group)) === year.id);
  const areas = organisation.file.organisation.developmentAreas.map((area) => ({
    id: area.id,
    title: area.title,
    serves: area.serves.filter((id) => order.has(id)).sort((a, b) => order.get(a)! - order.get(b)!),
    groups: ofYear.filter((group) => group.areaId === area.id).map(mapGroup),
  }));
  if (serving) {
    return { areas: areas.filter((area) => area.groups.length > 0 && area.serves.some((id) => serving.has(id))), otherGroups: [] };
  }
  const known = new Set(areas.map((area) => area.id));
  return { areas, otherGroups: ofYear.filter((group) => !group.areaId || !known.has(group.areaId)).map(mapGroup) };
}

function mapGroup(group: GroupAcrossSchools): MapGroup {
  return { name: group.name, kind: group.kind, members: group.members };
}
