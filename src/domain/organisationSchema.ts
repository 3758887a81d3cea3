import { z } from 'zod';

/**
 * The organisation file's schema: the whole goal chain as data. The
 * huvudman's strategic framework (WHAT items, each made concrete as HOWs on
 * three levels), its overarching goals and development areas, the läsår,
 * the management level, and each school with its principals, goals,
 * fokusområde and processkarta. Every link is by id; `checkLinks` reports a
 * link to something that does not exist, or a cycle, at the field that holds
 * it, so the loader can name its line.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoDate = z
  .string()
  .regex(ISO_DATE, 'must be a date written YYYY-MM-DD')
  .refine((value) => !ISO_DATE.test(value) || isRealDate(value), 'is not a real date');

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. "trygghet"');
const ids = z.array(id).default([]);
const text = (max: number) => z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);

/** A person named by Entra object id, by e-mail/UPN, or both. */
const personRef = z
  .object({
    name: z.string().min(1).optional(),
    /** What they are called at work, e.g. "verksamhetschef". */
    role: z.string().trim().min(1).optional(),
    aadObjectId: z.string().regex(GUID, 'must be an Entra object id (a GUID)').optional(),
    upn: z.string().email('must be an e-mail address / UPN').optional(),
  })
  .refine((person) => person.aadObjectId || person.upn, 'needs aadObjectId or upn');

const teamRef = {
  teamId: z.string().startsWith('19:', 'must be the team\'s id, "19:…@thread.tacv2"').optional(),
  teamAadGroupId: z.string().regex(GUID, "must be the team's Microsoft 365 group id (a GUID)").optional(),
};

const holiday = z.union([isoDate, z.string().regex(/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/, 'must be a date or a range written YYYY-MM-DD/YYYY-MM-DD')]);

const goal = z.object({
  id,
  title: z.string().trim().min(3, 'is too short').max(200, 'is longer than 200 characters'),
  description: z.string().trim().max(2000).optional(),
});

/** The three levels a framework item is made concrete on (Malmö's "HUR"). */
export const FRAMEWORK_LEVELS = ['staff', 'leadership', 'administration'] as const;
export type FrameworkLevel = (typeof FRAMEWORK_LEVELS)[number];

const how = z.object({ id, text: text(500) });

const framework = z.object({
  name: text(200),
  items: z
    .array(
      z.object({
        id,
        /** The WHAT, e.g. "Gemensam riktning". */
        title: text(200),
        description: z.string().trim().max(2000).optional(),
        hows: z.object({ staff: z.array(how).default([]), leadership: z.array(how).default([]), administration: z.array(how).default([]) }).default({}),
      }),
    )
    .min(1, 'needs at least one item'),
});

const schoolYear = z
  .object({
    /** Derived from the dates when left out: "2026-27". */
    id: id.optional(),
    name: text(100),
    start: isoDate,
    end: isoDate,
    autumnTermEnd: isoDate.optional(),
    holidays: z.array(holiday).default([]),
  })
  .refine((year) => year.start < year.end, { message: 'start must be before end', path: ['end'] });

/** A processkarta longer than this is no longer read as one routine, nor edited on a phone. */
export const MAX_PROCESS_STEPS = 20;

const processStep = z.object({
  /** What happens, e.g. "Mentor uppmärksammar frånvaro". */
  what: text(500),
  who: text(200),
  when: text(200),
  /** Who from elevhälsa takes part, if anyone. */
  withWhom: z.string().trim().max(200).optional(),
});

const school = z
  .object({
    id,
    name: z.string().trim().min(1),
    ...teamRef,
    principals: z.array(personRef).min(1, 'needs at least one principal'),
    /** Others the file places at the school (förstelärare, verksamhetsutvecklare): their unit in groups across schools. */
    staff: z.array(personRef).optional(),
    focusArea: z
      .object({
        title: text(200),
        period: z.string().trim().optional(),
        why: z.string().trim().max(2000).optional(),
        /** The school goals the fokusområde serves. */
        goals: ids,
      })
      .optional(),
    goals: z.array(goal.extend({ serves: ids, hows: ids, areas: ids })).default([]),
    processMap: z.array(processStep).max(MAX_PROCESS_STEPS, `has more than ${MAX_PROCESS_STEPS} steps`).default([]),
  })
  .refine((value) => value.teamId || value.teamAadGroupId, 'needs teamId or teamAadGroupId');

/** A value on a date: an indicator's baseline (utgångsläge) or target (mål). */
const indicatorPoint = z.object({ value: z.number({ invalid_type_error: 'must be a number' }).finite(), date: isoDate });

/**
 * An indicator (e.g. the share of students eligible for upper secondary
 * school): what a goal is measured by. `goal` names an overarching goal, or
 * with `school` one of that school's goals. `perSchool` (overarching goals
 * only) keeps a series per school; `schoolBaselines` gives a school's own
 * starting point where it is not the organisation's.
 */
const indicator = z
  .object({
    id,
    name: text(200),
    /** "%", "poäng", "elever": written after each value. */
    unit: text(20),
    direction: z.enum(['higher', 'lower'], { errorMap: () => ({ message: 'must be "higher" or "lower" (which is better)' }) }),
    goal: id,
    school: id.optional(),
    perSchool: z.boolean().default(false),
    baseline: indicatorPoint,
    target: indicatorPoint,
    schoolBaselines: z.array(indicatorPoint.extend({ school: id })).default([]),
  })
  .refine((entry) => entry.baseline.date < entry.target.date, { message: 'must be after the baseline date', path: ['target', 'date'] });

const fileShape = z.object({
  organisation: z.object({
    name: z.string().trim().min(1),
    /** May manage every school's dialogues. */
    admins: z.array(personRef).default([]),
    /** Verksamhetschef, utbildningschef: hold målsamtal with the principals. */
    managers: z.array(personRef).default([]),
    /** The principals' team, where a manager starts the principals' målsamtal. */
    principalsTeam: z
      .object(teamRef)
      .refine((team) => team.teamId || team.teamAadGroupId, 'needs teamId or teamAadGroupId')
      .optional(),
    /** When true a principal's own confirmation makes their goals the school's goals; otherwise the manager's. */
    principalsOwnSchoolGoals: z.boolean().default(false),
    framework: framework.optional(),
    overarchingGoals: z.array(goal.extend({ parents: ids, framework: ids })).min(1, 'needs at least one overarching goal'),
    developmentAreas: z.array(z.object({ id, title: text(200), description: z.string().trim().max(2000).optional(), serves: ids })).default([]),
  }),
  schoolYear: schoolYear.optional(),
  schoolYears: z.array(schoolYear).optional(),
  schools: z.array(school).min(1, 'needs at least one school'),
  /** Settings of every learning group in the organisation. */
  learningGroups: z
    .object({
      /**
       * The samtalsledare gets the before check-in's summary this many hours
       * before the meeting starts, to prepare (0: when the meeting starts).
       */
      beforeSummaryLeadHours: z
        .number()
        .min(0)
        .max(24 * 14)
        .default(2),
    })
    .default({}),
  /** What the goals are measured by; measurements are recorded in Teams. */
  indicators: z.array(indicator).default([]),
});

type Shape = z.infer<typeof fileShape>;
export type SchoolYear = z.infer<typeof schoolYear> & { id: string };
type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

export const organisationSchema = fileShape
  .superRefine((file, ctx) => checkLinks(file, (path, message) => ctx.addIssue({ code: 'custom', path, message })))
  .transform(({ schoolYear: single, schoolYears, ...rest }) => ({
    ...rest,
    /** Oldest first, each with an id. */
    schoolYears: [...(schoolYears ?? (single ? [single] : []))]
      .map((year) => ({ ...year, id: year.id ?? schoolYearId(year) }))
      .sort((a, b) => a.start.localeCompare(b.start)),
  }));

export type OrganisationFile = z.infer<typeof organisationSchema>;
export type School = OrganisationFile['schools'][number];
export type SchoolGoalEntry = School['goals'][number];
export type PersonRef = z.infer<typeof personRef>;
export type OverarchingGoal = OrganisationFile['organisation']['overarchingGoals'][number];
export type Framework = z.infer<typeof framework>;
export type FrameworkItem = Framework['items'][number];
export type DevelopmentArea = OrganisationFile['organisation']['developmentAreas'][number];
export type ProcessStep = z.infer<typeof processStep>;
export type IndicatorEntry = z.infer<typeof indicator>;

export function schoolYearId(year: { start: string; end: string }): string {
  return `${year.start.slice(0, 4)}-${year.end.slice(2, 4)}`;
}

/** Every id is unique where it is looked up, and every link points at something that exists, without cycles. */
function checkLinks(file: Shape, report: Report): void {
  const { organisation } = file;
  checkSchoolYears(file, report);
  const items = unique(organisation.framework?.items ?? [], ['organisation', 'framework', 'items'], 'framework items', report);
  const hows = new Map<string, FrameworkLevel>();
  organisation.framework?.items.forEach((item, i) =>
    FRAMEWORK_LEVELS.forEach((level) =>
      item.hows[level].forEach((entry, h) => {
        if (hows.has(entry.id)) report(['organisation', 'framework', 'items', i, 'hows', level, h, 'id'], `"${entry.id}" is used by two HOWs`);
        hows.set(entry.id, level);
      }),
    ),
  );
  const overarching = unique(organisation.overarchingGoals, ['organisation', 'overarchingGoals'], 'overarching goals', report);
  organisation.overarchingGoals.forEach((entry, g) => {
    const at: Path = ['organisation', 'overarchingGoals', g];
    links(entry.framework, items, [...at, 'framework'], 'a framework item', report);
    links(entry.parents, overarching, [...at, 'parents'], 'an overarching goal', report);
  });
  reportCycles(organisation.overarchingGoals, report);
  const areas = unique(organisation.developmentAreas, ['organisation', 'developmentAreas'], 'development areas', report);
  organisation.developmentAreas.forEach((area, a) =>
    links(area.serves, overarching, ['organisation', 'developmentAreas', a, 'serves'], 'an overarching goal', report),
  );
  unique(file.schools, ['schools'], 'schools', report);
  file.schools.forEach((entry, s) => {
    const goals = unique(entry.goals, ['schools', s, 'goals'], 'goals', report);
    entry.goals.forEach((g, i) => {
      const at: Path = ['schools', s, 'goals', i];
      links(g.serves, overarching, [...at, 'serves'], 'an overarching goal', report);
      links(g.areas, areas, [...at, 'areas'], 'a development area', report);
      g.hows.forEach((howId, h) => {
        const level = hows.get(howId);
        if (level === undefined) report([...at, 'hows', h], `"${howId}" is not a HOW of the framework`);
        else if (level !== 'leadership') report([...at, 'hows', h], `"${howId}" is a HOW for ${level}, not for school leadership`);
      });
    });
    if (entry.focusArea) links(entry.focusArea.goals, goals, ['schools', s, 'focusArea', 'goals'], "one of the school's goals", report);
  });
  checkIndicators(file, overarching, report);
}

/** Indicator ids are unique; each measures a goal that exists, and per-school settings name schools of the file. */
function checkIndicators(file: Shape, overarching: ReadonlySet<string>, report: Report): void {
  unique(file.indicators, ['indicators'], 'indicators', report);
  const schools = new Map(file.schools.map((school) => [school.id, new Set(school.goals.map((goal) => goal.id))]));
  file.indicators.forEach((entry, i) => {
    const at: Path = ['indicators', i];
    if (entry.school !== undefined) {
      const goals = schools.get(entry.school);
      if (!goals) report([...at, 'school'], `"${entry.school}" is not a school`);
      else if (!goals.has(entry.goal)) report([...at, 'goal'], `"${entry.goal}" is not a goal of the school "${entry.school}"`);
      if (entry.perSchool) report([...at, 'perSchool'], "is for an overarching goal's indicator; a school goal's indicator is the school's already");
    } else if (!overarching.has(entry.goal)) {
      report([...at, 'goal'], `"${entry.goal}" is not an overarching goal (add school: to name a school goal)`);
    }
    if (entry.schoolBaselines.length > 0 && !entry.perSchool) report([...at, 'schoolBaselines'], 'needs perSchool: true');
    const seen = new Set<string>();
    entry.schoolBaselines.forEach((baseline, b) => {
      if (!schools.has(baseline.school)) report([...at, 'schoolBaselines', b, 'school'], `"${baseline.school}" is not a school`);
      else if (seen.has(baseline.school)) report([...at, 'schoolBaselines', b, 'school'], `"${baseline.school}" has two baselines`);
      seen.add(baseline.school);
    });
  });
}

function checkSchoolYears(file: Shape, report: Report): void {
  if (file.schoolYear && file.schoolYears) report(['schoolYears'], 'use either schoolYear or schoolYears, not both');
  else if (!file.schoolYear && !file.schoolYears?.length) report(['schoolYears'], 'needs at least one läsår (schoolYear or schoolYears)');
  const years = (file.schoolYears ?? []).map((year, index) => ({ year, index, id: year.id ?? schoolYearId(year) }));
  const seen = new Set<string>();
  for (const { id: yearId, index } of years) {
    if (seen.has(yearId)) report(['schoolYears', index, 'id'], `"${yearId}" is used by two läsår`);
    seen.add(yearId);
  }
  const sorted = [...years].sort((a, b) => a.year.start.localeCompare(b.year.start));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.year.start <= sorted[i - 1]!.year.end) report(['schoolYears', sorted[i]!.index, 'start'], `overlaps the läsår "${sorted[i - 1]!.id}"`);
  }
}

function unique(entries: readonly { id: string }[], at: Path, what: string, report: Report): Set<string> {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) report([...at, index, 'id'], `"${entry.id}" is used by two ${what}`);
    seen.add(entry.id);
  });
  return seen;
}

function links(targets: readonly string[], known: ReadonlySet<string>, at: Path, what: string, report: Report): void {
  targets.forEach((target, index) => {
    if (!known.has(target)) report([...at, index], `"${target}" is not ${what}`);
  });
}

/** A goal that is its own ancestor is reported once, at the link that closes the loop. */
function reportCycles(goals: readonly { id: string; parents: string[] }[], report: Report): void {
  const parentsOf = new Map(goals.map((g) => [g.id, g.parents]));
  const reported = new Set<string>();
  goals.forEach((start, g) => {
    start.parents.forEach((parent, p) => {
      const path = pathBack(parent, start.id, parentsOf, new Set());
      if (!path) return;
      const cycle = [start.id, ...path];
      const key = [...cycle.slice(0, -1)].sort().join(' ');
      if (reported.has(key)) return;
      reported.add(key);
      report(['organisation', 'overarchingGoals', g, 'parents', p], `makes a cycle: ${cycle.join(' → ')}`);
    });
  });
}

/** The ids from `from` up to `target` through parents, or undefined when `target` is not an ancestor. */
function pathBack(from: string, target: string, parentsOf: ReadonlyMap<string, string[]>, visited: Set<string>): string[] | undefined {
  if (from === target) return [target];
  if (visited.has(from)) return undefined;
  visited.add(from);
  for (const parent of parentsOf.get(from) ?? []) {
    const rest = pathBack(parent, target, parentsOf, visited);
    if (rest) return [from, ...rest];
  }
  return undefined;
}
