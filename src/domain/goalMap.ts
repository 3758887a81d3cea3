import { type Dialogue, type GoalDraft, hasContent, type Participation } from './goalDialogue';
import type { MapGroupsAcrossSchools } from './goalMapGroups';
import type { Actor, Organisation, School, SchoolYear } from './organisation';
import type { SchoolGoal } from './schoolGoals';

/**
 * The goal map: the goal chain as it concerns the one asking. A teacher sees
 * their own goals → the school goals they serve → the overarching goals →
 * the framework's WHAT (with the HOW for staff); a principal sees the
 * school's goals with how many teacher goals link to each, and the
 * overarching goals no school goal serves (gaps); a manager or admin sees
 * every school. Pure: the reading is in goalMapService.ts, the words and
 * the card in src/cards/goalMap.ts.
 *
 * Privacy: the only goal text of a person in a map is the asker's own.
 * Others' goals are only counted.
 */

/** The views, least to most overview. */
export const GOAL_MAP_VIEWS = ['mine', 'school', 'all'] as const;
export type GoalMapView = (typeof GOAL_MAP_VIEWS)[number];

/** Up to this many characters of a teacher's goal are shown in the map (goals may be 4,000). */
export const MAP_GOAL_CHARS = 280;

/**
 * The views a person may see: their own part always; the school's for a
 * principal of a school; every school's for a manager (verksamhetschef,
 * utbildningschef) or an organisation admin. Checked on every request.
 */
export function goalMapViews(organisation: Organisation, actor: Actor): GoalMapView[] {
  const views: GoalMapView[] = ['mine'];
  if (organisation.schoolsLedBy(actor).length > 0) views.push('school');
  if (organisation.isManager(actor) || organisation.isAdmin(actor)) views.push('all');
  return views;
}

/** The most relevant view: the widest the person may see. */
export function defaultGoalMapView(views: readonly GoalMapView[]): GoalMapView {
  return views[views.length - 1] ?? 'mine';
}

// --- What the maps are made of ---

export interface MapSchoolYear {
  id: string;
  name: string;
}

export interface MapFocusArea {
  title: string;
  period?: string;
  /** The numbers of the school goals it serves. */
  goalNumbers: number[];
}

/** A school goal with its number in the school's list (1-based, as the other cards number them). */
export interface MapSchoolGoal {
  id: string;
  number: number;
  title: string;
  /** The overarching goals it serves (ids), in the organisation's order. */
  serves: string[];
}

/** An overarching goal with its letter (A, B, … in the organisation's order: the same in every view). */
export interface MapOverarchingGoal {
  id: string;
  letter: string;
  title: string;
}

/** A WHAT of the framework, with its HOWs for staff. */
export interface MapFrameworkItem {
  id: string;
  title: string;
  staffHows: string[];
  /** The letters of the overarching goals that lead here. */
  from: string[];
}

export interface MineMap {
  view: 'mine';
  schoolYear: MapSchoolYear;
  school?: { id: string; name: string; focusArea?: MapFocusArea };
  /** The dialogue the goals are from; undefined when the person has no goals this läsår. */
  dialogue?: { title: string; draft: boolean };
  goals: { number: number; text: string; schoolGoals: number[] }[];
  schoolGoals: MapSchoolGoal[];
  overarching: MapOverarchingGoal[];
  /** The framework's name, e.g. "Varje elevs bästa skola" (empty without a framework). */
  frameworkName: string;
  framework: MapFrameworkItem[];
  /** The development areas her overarching goals are worked on in, with their groups across schools (goalMapGroups.ts). */
  acrossSchools?: MapGroupsAcrossSchools;
}

export interface SchoolPart {
  id: string;
  name: string;
  focusArea?: MapFocusArea;
  goals: (MapSchoolGoal & { confirmed: number; drafts: number })[];
  /** Teachers with goals (confirmed or draft) this läsår. */
  teachers: number;
  /** Every overarching goal, with the numbers of the school goals that serve it (none: a gap). */
  overarching: (MapOverarchingGoal & { servedBy: number[] })[];
}

export interface SchoolMap {
  view: 'school';
  schoolYear: MapSchoolYear;
  schools: SchoolPart[];
  /** Every development area with its groups across schools (goalMapGroups.ts). */
  acrossSchools?: MapGroupsAcrossSchools;
}

export interface OrganisationMap {
  view: 'all';
  schoolYear: MapSchoolYear;
  schools: { id: string; name: string; focusArea?: MapFocusArea; goals: MapSchoolGoal[]; gaps: MapOverarchingGoal[] }[];
  /** Every overarching goal with how many schools serve it. */
  overarching: (MapOverarchingGoal & { schools: number })[];
  schoolCount: number;
  /** Every development area with its groups across schools (goalMapGroups.ts). */
  acrossSchools?: MapGroupsAcrossSchools;
}

export type GoalMap = MineMap | SchoolMap | OrganisationMap;

// --- What the maps are made from ---

/** One teacher's part in one dialogue, with their newest confirmed goals if they have confirmed any. */
export interface TeacherWork {
  dialogue: Dialogue;
  participation: Participation;
  /** The goals of the newest confirmed version; undefined when never confirmed. */
  confirmed?: GoalDraft[];
}

/** The goals a person's map shows from their work: the confirmed version when there is one, else the draft. */
function goalsOf(work: TeacherWork): { goals: GoalDraft[]; draft: boolean } {
  if (work.confirmed) return { goals: work.confirmed, draft: false };
  return { goals: work.participation.goals.filter(hasContent), draft: true };
}

/** The newest of a person's work that has goals (work is of one läsår). */
export function latestWithGoals(work: readonly TeacherWork[]): TeacherWork | undefined {
  return [...work].sort((a, b) => b.dialogue.createdAt.localeCompare(a.dialogue.createdAt)).find((w) => goalsOf(w).goals.length > 0);
}

function letterOf(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `Ö${index + 1}`;
}

function overarchingGoals(organisation: Organisation): MapOverarchingGoal[] {
  return organisation.overarchingGoals().map((goal, index) => ({ id: goal.id, letter: letterOf(index), title: goal.title }));
}

/** The school's active goals, in their order, numbered as the school's list numbers them. */
function numberedGoals(organisation: Organisation, goals: readonly SchoolGoal[]): MapSchoolGoal[] {
  const order = new Map(organisation.overarchingGoals().map((goal, index) => [goal.id, index]));
  return goals
    .filter((goal) => goal.status === 'active')
    .sort((a, b) => a.position - b.position)
    .map((goal, index) => ({
      id: goal.id,
      number: index + 1,
      title: goal.title,
      serves: goal.serves.filter((id) => order.has(id)).sort((a, b) => order.get(a)! - order.get(b)!),
    }));
}

function focusAreaOf(school: School, goals: readonly MapSchoolGoal[]): MapFocusArea | undefined {
  const focus = school.focusArea;
  if (!focus) return undefined;
  const numbers = new Map(goals.map((goal) => [goal.id, goal.number]));
  return {
    title: focus.title,
    period: focus.period,
    goalNumbers: focus.goals.flatMap((id) => (numbers.has(id) ? [numbers.get(id)!] : [])),
  };
}

function yearOf(year: SchoolYear): MapSchoolYear {
  return { id: year.id, name: year.name };
}

function shortened(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= MAP_GOAL_CHARS ? trimmed : `${trimmed.slice(0, MAP_GOAL_CHARS - 1).trimEnd()}…`;
}

// --- The three maps ---

/**
 * A teacher's own chain. `work` is their newest dialogue with goals this
 * läsår (latestWithGoals), `schoolGoals` every goal of that dialogue's
 * school, retired ones too: a link is by id, so it reads as the goal reads
 * now (wording changes included), and a goal the school no longer has
 * reads as it did when the dialogue started.
 */
export function mineMap(organisation: Organisation, year: SchoolYear, work: TeacherWork | undefined, schoolGoals: readonly SchoolGoal[]): MineMap {
  const map: MineMap = {
    view: 'mine',
    schoolYear: yearOf(year),
    goals: [],
    schoolGoals: [],
    overarching: [],
    frameworkName: organisation.file.organisation.framework?.name ?? '',
    framework: [],
  };
  if (!work) return map;
  const school = organisation.schoolById(work.dialogue.schoolId);
  const ofSchool = schoolGoals.filter((goal) => goal.schoolId === work.dialogue.schoolId);
  const active = numberedGoals(organisation, ofSchool);
  const { goals, draft } = goalsOf(work);
  map.dialogue = { title: work.dialogue.title, draft };
  if (school) map.school = { id: school.id, name: school.name, focusArea: focusAreaOf(school, active) };

  // Linked school goals by id, as they read now; a retired one is numbered after the school's list.
  const linked = new Map<string, MapSchoolGoal>();
  let extra = active.length;
  const schoolGoalFor = (id: string): MapSchoolGoal | undefined => {
    const known = linked.get(id) ?? active.find((goal) => goal.id === id);
    const other = known ? undefined : (ofSchool.find((goal) => goal.id === id) ?? work.dialogue.schoolGoals.find((goal) => goal.id === id));
    const found = known ?? (other && { id, number: ++extra, title: other.title, serves: other.serves });
    if (found) linked.set(id, found);
    return found;
  };
  map.goals = goals.map((goal, index) => ({
    number: index + 1,
    text: shortened(goal.goal ?? ''),
    schoolGoals: goal.schoolGoalIds.flatMap((id) => schoolGoalFor(id)?.number ?? []),
  }));
  map.schoolGoals = [...linked.values()].sort((a, b) => a.number - b.number);

  const served = new Set(map.schoolGoals.flatMap((goal) => goal.serves));
  map.overarching = overarchingGoals(organisation).filter((goal) => served.has(goal.id));
  const items = organisation.file.organisation.framework?.items ?? [];
  map.framework = items.flatMap((item) => {
    const from = map.overarching.filter((goal) => organisation.overarchingGoal(goal.id)?.framework.includes(item.id)).map((goal) => goal.letter);
    return from.length > 0 ? [{ id: item.id, title: item.title, staffHows: item.hows.staff.map((how) => how.text), from }] : [];
  });
  return map;
}

/**
 * A school as its principal sees it: each active goal with how many teacher
 * goals link to it (counts only), and every overarching goal with the
 * school goals serving it. `work` is every participation in the school's
 * dialogues of the läsår; each teacher counts with their newest dialogue
 * that has goals, confirmed goals as confirmed, the rest as drafts.
 */
export function schoolPart(organisation: Organisation, school: School, goals: readonly SchoolGoal[], work: readonly TeacherWork[]): SchoolPart {
  const active = numberedGoals(
    organisation,
    goals.filter((goal) => goal.schoolId === school.id),
  );
  const byTeacher = new Map<string, TeacherWork[]>();
  for (const w of work) byTeacher.set(w.participation.aadObjectId, [...(byTeacher.get(w.participation.aadObjectId) ?? []), w]);
  const confirmed = new Map<string, number>();
  const drafts = new Map<string, number>();
  let teachers = 0;
  for (const list of byTeacher.values()) {
    const latest = latestWithGoals(list);
    if (!latest) continue;
    teachers++;
    const { goals: teacherGoals, draft } = goalsOf(latest);
    const counts = draft ? drafts : confirmed;
    for (const goal of teacherGoals) for (const id of new Set(goal.schoolGoalIds)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return {
    id: school.id,
    name: school.name,
    focusArea: focusAreaOf(school, active),
    goals: active.map((goal) => ({ ...goal, confirmed: confirmed.get(goal.id) ?? 0, drafts: drafts.get(goal.id) ?? 0 })),
    teachers,
    overarching: overarchingGoals(organisation).map((goal) => ({
      ...goal,
      servedBy: active.filter((schoolGoal) => schoolGoal.serves.includes(goal.id)).map((schoolGoal) => schoolGoal.number),
    })),
  };
}

export function schoolMap(year: SchoolYear, schools: SchoolPart[]): SchoolMap {
  return { view: 'school', schoolYear: yearOf(year), schools };
}

/** Every school of the organisation: its goals, fokusområde and gaps; per overarching goal how many schools serve it. */
export function organisationMap(organisation: Organisation, year: SchoolYear, goalsBySchool: ReadonlyMap<string, readonly SchoolGoal[]>): OrganisationMap {
  const overarching = overarchingGoals(organisation);
  const schools = organisation.file.schools.map((school) => {
    const goals = numberedGoals(organisation, goalsBySchool.get(school.id) ?? []);
    const served = new Set(goals.flatMap((goal) => goal.serves));
    return {
      id: school.id,
      name: school.name,
      focusArea: focusAreaOf(school, goals),
      goals,
      gaps: overarching.filter((goal) => !served.has(goal.id)),
    };
  });
  return {
    view: 'all',
    schoolYear: yearOf(year),
    schools,
    overarching: overarching.map((goal) => ({ ...goal, schools: schools.filter((school) => school.goals.some((g) => g.serves.includes(goal.id))).length })),
    schoolCount: schools.length,
  };
}
