import { z } from 'zod';
import { addDays, type LocalDate } from '../time';
import { ORGANISATION_UNIT_ID, type Organisation } from './organisation';

/**
 * Indicators (what a goal is measured by: the share of students eligible
 * for upper secondary school, the share who feel safe in the school survey,
 * the merit value in year 9) and their measurements. An indicator belongs
 * to an overarching goal or to a school goal; it comes from the
 * organisation file, or a principal adds one to a school goal in Teams
 * (then every save is a version). A measurement is a value on a date with a
 * comment, for one *unit*: the school (a school goal's indicator, or an
 * overarching indicator kept per school) or the organisation level. A
 * correction is a new version of the measurement; the history is kept.
 * The use cases are in indicatorService.ts.
 */

export type Direction = 'higher' | 'lower';

export const pointSchema = z.object({ value: z.number(), date: z.string() });
export type IndicatorPoint = z.infer<typeof pointSchema>;

const goalSchema = z.discriminatedUnion('level', [
  z.object({ level: z.literal('overarching'), goalId: z.string() }),
  z.object({ level: z.literal('school'), schoolId: z.string(), goalId: z.string() }),
]);
export type IndicatorGoal = z.infer<typeof goalSchema>;

/** An indicator as stored (those added in Teams) and as the use cases see every indicator. */
export const indicatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  direction: z.enum(['higher', 'lower']),
  goal: goalSchema,
  /** An overarching indicator with a series per school. */
  perSchool: z.boolean(),
  baseline: pointSchema,
  target: pointSchema,
  /** A school's own baseline, by school id, where it is not the indicator's. */
  schoolBaselines: z.record(pointSchema).default({}),
  /** 0: from the organisation file; from 1, added in Teams, each save one more. */
  version: z.number().int().min(0),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

/** One version of one measurement of an indicator for a unit (a school, or the organisation level). */
export const measurementSchema = z.object({
  indicatorId: z.string(),
  unitId: z.string(),
  /** The id of the form that recorded it: a form submitted twice records once. */
  id: z.string(),
  value: z.number(),
  date: z.string(),
  comment: z.string(),
  version: z.number().int().min(1),
  recordedAt: z.string(),
  /** The Entra object id (or UPN) of who recorded this version. */
  recordedBy: z.string(),
});
export type Measurement = z.infer<typeof measurementSchema>;

/** What a save found: written now, or already there (the same form submitted before). */
export type SaveOutcome = 'saved' | 'exists';

export interface IndicatorRepository {
  /** The indicators principals added in Teams to a school's goals, each as its current version. */
  schoolIndicators(schoolId: string): Promise<Indicator[]>;
  /** Stores a new version; STALE when `expectedVersion` is not the current one; 'exists' when creating (0) an id that is taken. */
  saveIndicator(indicator: Indicator & { goal: { level: 'school' } }, expectedVersion: number): Promise<SaveOutcome>;
  /** Every version of an indicator added in Teams, oldest first. */
  indicatorHistory(schoolId: string, indicatorId: string): Promise<Indicator[]>;
  /** The current version of each measurement of the series, oldest date first. */
  measurements(indicatorId: string, unitId: string): Promise<Measurement[]>;
  /** As saveIndicator, for a measurement. */
  saveMeasurement(measurement: Measurement, expectedVersion: number): Promise<SaveOutcome>;
  /** Every version of one measurement, oldest first. */
  measurementHistory(indicatorId: string, unitId: string, measurementId: string): Promise<Measurement[]>;
}

/** The organisation file's indicators, as the use cases see every indicator. */
export function indicatorsFromOrganisation(organisation: Organisation): Indicator[] {
  return organisation.file.indicators.map((entry) => ({
    id: entry.id,
    name: entry.name,
    unit: entry.unit,
    direction: entry.direction,
    goal: entry.school === undefined ? { level: 'overarching', goalId: entry.goal } : { level: 'school', schoolId: entry.school, goalId: entry.goal },
    perSchool: entry.perSchool,
    baseline: entry.baseline,
    target: entry.target,
    schoolBaselines: Object.fromEntries(entry.schoolBaselines.map(({ school, value, date }) => [school, { value, date }])),
    version: 0,
    updatedAt: '',
    updatedBy: 'organisation file',
  }));
}

/** The units an indicator keeps a series for: its school, every school, or the organisation level. */
export function unitsOf(indicator: Indicator, schoolIds: readonly string[]): string[] {
  if (indicator.goal.level === 'school') return [indicator.goal.schoolId];
  return indicator.perSchool ? [...schoolIds] : [ORGANISATION_UNIT_ID];
}

/** Where a unit's series starts: its own baseline, else the indicator's. */
export function baselineOf(indicator: Indicator, unitId: string): IndicatorPoint {
  return indicator.schoolBaselines[unitId] ?? indicator.baseline;
}

/** Whether a value has reached the target, in the indicator's direction. */
export function reachesTarget(indicator: Pick<Indicator, 'direction' | 'target'>, value: number): boolean {
  return indicator.direction === 'higher' ? value >= indicator.target.value : value <= indicator.target.value;
}

/** The movement from the value before to the latest: up, down or level. */
export function movement(previous: number, latest: number): 'up' | 'down' | 'level' {
  return latest > previous ? 'up' : latest < previous ? 'down' : 'level';
}

// --- Forms ---

/** A measurement may be dated this many years back, and never after today. */
export const MAX_YEARS_BACK = 10;
export const INDICATOR_LIMITS = { name: 200, unit: 20, comment: 1000 } as const;
/** Values beyond this are typing mistakes, whatever the unit. */
const MAX_MAGNITUDE = 1e9;

export type IndicatorProblem =
  'required' | 'notNumber' | 'outOfRange' | 'notDate' | 'future' | 'tooOld' | 'tooLong' | 'unknownTarget' | 'unknownGoal' | 'targetBeforeBaseline';

export type MeasurementField = 'target' | 'value' | 'date' | 'comment';
export type IndicatorField = 'goal' | 'name' | 'unit' | 'direction' | 'baselineValue' | 'baselineDate' | 'targetValue' | 'targetDate';

export type Problems<F extends string> = Partial<Record<F, IndicatorProblem>>;
export type FormResult<V, F extends string> = { ok: true; value: V } | { ok: false; problems: Problems<F>; typed: Record<F, string> };

/** A card value as text: a crafted object or array is nothing. */
function cardText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function typedOf<F extends string>(data: Record<string, unknown>, fields: readonly F[]): Record<F, string> {
  return Object.fromEntries(fields.map((name) => [name, cardText(data[name])])) as Record<F, string>;
}

/**
 * A number as a Swedish teacher types it: "86", "86,5", "86.5", "1 234",
 * "86 %". Undefined when it is not one.
 */
export function parseNumber(text: string): number | undefined {
  const compact = text
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/%$/, '')
    .replace(',', '.');
  if (!/^[-−]?\d+(\.\d+)?$/.test(compact)) return undefined;
  const value = Number(compact.replace('−', '-'));
  return Number.isFinite(value) ? value : undefined;
}

function readValue(text: string, unit: string | undefined): { value?: number; problem?: IndicatorProblem } {
  if (text === '') return { problem: 'required' };
  const value = parseNumber(text);
  if (value === undefined) return { problem: 'notNumber' };
  if (Math.abs(value) >= MAX_MAGNITUDE || (unit === '%' && (value < 0 || value > 100))) return { problem: 'outOfRange' };
  return { value };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** A measurement's date: a real date, not after today and not more than MAX_YEARS_BACK years back. */
function readMeasuredOn(text: string, today: LocalDate): { date?: string; problem?: IndicatorProblem } {
  if (text === '') return { problem: 'required' };
  const date = text.slice(0, 10);
  if (!ISO_DATE.test(date) || !isRealDate(date)) return { problem: 'notDate' };
  if (date > today) return { problem: 'future' };
  if (date < earliestDate(today)) return { problem: 'tooOld' };
  return { date };
}

/** The earliest date a measurement may carry. */
export function earliestDate(today: LocalDate): LocalDate {
  return addDays(today, -Math.round(365.25 * MAX_YEARS_BACK));
}

/** A planning date (baseline or target): any real date within MAX_YEARS_BACK years of today either way. */
function readPlanDate(text: string, today: LocalDate): { date?: string; problem?: IndicatorProblem } {
  if (text === '') return { problem: 'required' };
  const date = text.slice(0, 10);
  if (!ISO_DATE.test(date) || !isRealDate(date)) return { problem: 'notDate' };
  if (date < earliestDate(today)) return { problem: 'tooOld' };
  if (date > addDays(today, Math.round(365.25 * MAX_YEARS_BACK))) return { problem: 'future' };
  return { date };
}

export interface MeasurementInput {
  /** "<indicator id>|<unit id>". */
  target: string;
  value: number;
  date: string;
  comment: string;
}

/** A measurement form's series: "<indicator id>|<unit id>", as the form's choices carry it. */
export function targetKey(indicatorId: string, unitId: string): string {
  return `${indicatorId}|${unitId}`;
}

export function parseTargetKey(key: string): { indicatorId: string; unitId: string } | undefined {
  const at = key.indexOf('|');
  if (at <= 0 || at === key.length - 1) return undefined;
  return { indicatorId: key.slice(0, at), unitId: key.slice(at + 1) };
}

/**
 * The measurement form: a value that is a number (a share in %, 0–100), a
 * date that is real, not after today and not more than ten years back, a
 * comment of at most 1,000 characters. `unitOf` gives the chosen series'
 * unit; undefined when the series is not one the person may record.
 */
export function readMeasurementForm(
  data: Record<string, unknown>,
  today: LocalDate,
  unitOf: (target: string) => string | undefined,
): FormResult<MeasurementInput, MeasurementField> {
  const typed = typedOf(data, ['target', 'value', 'date', 'comment'] as const);
  const problems: Problems<MeasurementField> = {};
  const unit = unitOf(typed.target);
  if (typed.target === '') problems.target = 'required';
  else if (unit === undefined) problems.target = 'unknownTarget';
  const value = readValue(typed.value, unit);
  if (value.problem) problems.value = value.problem;
  const date = readMeasuredOn(typed.date, today);
  if (date.problem) problems.date = date.problem;
  if (typed.comment.length > INDICATOR_LIMITS.comment) problems.comment = 'tooLong';
  if (Object.keys(problems).length > 0) return { ok: false, problems, typed };
  return { ok: true, value: { target: typed.target, value: value.value!, date: date.date!, comment: typed.comment } };
}

export interface IndicatorInput {
  goalId: string;
  name: string;
  unit: string;
  direction: Direction;
  baseline: IndicatorPoint;
  target: IndicatorPoint;
}

/** The principal's form for an indicator of a school goal; the goal must be among the school's active goals. */
export function readIndicatorForm(
  data: Record<string, unknown>,
  today: LocalDate,
  activeGoalIds: ReadonlySet<string>,
): FormResult<IndicatorInput, IndicatorField> {
  const fields = ['goal', 'name', 'unit', 'direction', 'baselineValue', 'baselineDate', 'targetValue', 'targetDate'] as const;
  const typed = typedOf(data, fields);
  const problems: Problems<IndicatorField> = {};
  if (typed.goal === '') problems.goal = 'required';
  else if (!activeGoalIds.has(typed.goal)) problems.goal = 'unknownGoal';
  for (const field of ['name', 'unit'] as const) {
    if (typed[field] === '') problems[field] = 'required';
    else if (typed[field].length > INDICATOR_LIMITS[field]) problems[field] = 'tooLong';
  }
  if (typed.direction !== 'higher' && typed.direction !== 'lower') problems.direction = 'required';
  const baselineValue = readValue(typed.baselineValue, typed.unit);
  const targetValue = readValue(typed.targetValue, typed.unit);
  const baselineDate = readPlanDate(typed.baselineDate, today);
  const targetDate = readPlanDate(typed.targetDate, today);
  if (baselineValue.problem) problems.baselineValue = baselineValue.problem;
  if (targetValue.problem) problems.targetValue = targetValue.problem;
  if (baselineDate.problem) problems.baselineDate = baselineDate.problem;
  if (targetDate.problem) problems.targetDate = targetDate.problem;
  else if (baselineDate.date && targetDate.date! <= baselineDate.date) problems.targetDate = 'targetBeforeBaseline';
  if (Object.keys(problems).length > 0) return { ok: false, problems, typed };
  return {
    ok: true,
    value: {
      goalId: typed.goal,
      name: typed.name,
      unit: typed.unit,
      direction: typed.direction as Direction,
      baseline: { value: baselineValue.value!, date: baselineDate.date! },
      target: { value: targetValue.value!, date: targetDate.date! },
    },
  };
}
