import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Time, below everything else: local dates, wall-clock times in a school's
 * time zone, school days and holidays. Schools plan in local time ("the
 * check-in goes out at 08:00"); instants are stored in UTC. Everything here
 * is pure: no clock, no environment, and no default time zone — the zone is
 * the configured one (config.timeZone), passed down by whoever calls.
 *
 * Imports nothing from the rest of Målbild, so the domain, the cards, the
 * scheduler and the effects can all use it.
 */

/** The current instant. Passed in, never read from `new Date()` in a rule, so tests can move time. */
export type Clock = () => Date;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A calendar date 'YYYY-MM-DD' that exists (no 2026-02-30). */
export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => DateTime.fromISO(value, { zone: 'utc' }).isValid, 'must be a date that exists');

/** A time of day 'HH:MM', 00:00–23:59. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (00:00–23:59)');

/** An IANA time zone such as Europe/Stockholm. */
export const timeZoneSchema = z.string().refine((value) => IANAZone.isValidZone(value), 'must be an IANA time zone such as Europe/Stockholm');

export type LocalDate = z.infer<typeof localDateSchema>;
export type TimeOfDay = z.infer<typeof timeOfDaySchema>;

/**
 * A malformed date, time, zone or school-day rule. It carries the same code
 * as the domain's invalid input (src/domain/errors.ts counts it as one), so a
 * bad value from a card reads as invalid input wherever it is found out.
 */
export class InvalidTimeError extends Error {
  readonly code = 'INVALID_INPUT';

  constructor(
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'InvalidTimeError';
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidTimeError(`${what} ${result.error.issues[0]?.message ?? 'is invalid'}`, { value: String(value) });
  }
  return result.data;
}

/**
 * The instant at which the clocks in `zone` show `date` `time`.
 *
 * Around daylight-saving switches a wall-clock time can be missing or
 * repeated; the rule is java.time's (ZonedDateTime.of):
 * - Spring forward (Europe/Stockholm 2026-03-29, 02:00 → 03:00): a time in
 *   the gap is moved forward by the length of the gap, so 02:30 means 03:30
 *   CEST (01:30Z) — the job still runs, as early as the day allows.
 * - Autumn back (2026-10-25, 03:00 → 02:00): a time in the repeated hour
 *   means its first occurrence, so 02:30 means 02:30 CEST (00:30Z) — the job
 *   runs once, at the earlier of the two instants.
 * School times (07:00–18:00) are never in either hour in Swedish time.
 *
 * Throws InvalidTimeError (INVALID_INPUT) for a malformed date, time or zone.
 */
export function zonedTime(date: string, time: string, zone: string): Date {
  const day = parse(localDateSchema, date, 'date');
  const clock = parse(timeOfDaySchema, time, 'time');
  const tz = IANAZone.create(parse(timeZoneSchema, zone, 'time zone'));
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number];
  const [hour, minute] = clock.split(':').map(Number) as [number, number];
  // The wall-clock reading as if it were UTC; the real instant is that minus the zone's offset.
  const wall = Date.UTC(year, month - 1, dayOfMonth, hour, minute);
  // The offsets in force a day either side cover every switch a real zone makes in between.
  const offsets = new Set([tz.offset(wall - DAY_MS), tz.offset(wall), tz.offset(wall + DAY_MS)]);
  // An offset fits when the zone really has that offset at the instant it gives: none in a gap, two in a repeated hour.
  const fitting = [...offsets].filter((offset) => tz.offset(wall - offset * MINUTE_MS) === offset).map((offset) => wall - offset * MINUTE_MS);
  if (fitting.length > 0) return new Date(Math.min(...fitting));
  // In the gap: read the wall time with the offset before the switch, which lands the gap's length later on the new clock.
  return new Date(wall - tz.offset(wall - DAY_MS) * MINUTE_MS);
}

/** The calendar date the clocks in `zone` show at `instant`. */
export function localDateOf(instant: Date, zone: string): LocalDate {
  return DateTime.fromJSDate(instant, { zone: parse(timeZoneSchema, zone, 'time zone') }).toISODate() ?? '';
}

/** The wall-clock time 'HH:MM' in `zone` at `instant`. */
export function localTimeOf(instant: Date, zone: string): TimeOfDay {
  return DateTime.fromJSDate(instant, { zone: parse(timeZoneSchema, zone, 'time zone') }).toFormat('HH:mm');
}

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() ?? '';
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  return DateTime.fromISO(date, { zone: 'utc' }).weekday;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

// --- School days ---

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SCHOOL_WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Longest range a rule may cover: two school years. */
export const MAX_RANGE_DAYS = 731;

const dateRangeSchema = z.object({ from: localDateSchema, to: localDateSchema }).refine((range) => range.from <= range.to, 'from must not be after to');

/** Days the school is closed: single dates ('2026-06-06') or ranges ({ from, to }, e.g. a lov). */
export const holidaySchema = z.union([localDateSchema, dateRangeSchema]);

export const skipSchema = z
  .object({
    /** Leave out (or, for a reminder N days before, move away from) Saturdays and Sundays. */
    weekends: z.boolean().default(false),
    holidays: z.array(holidaySchema).max(400).default([]),
  })
  .default({});

export type Skip = z.output<typeof skipSchema>;

/** A rule's range may not run backwards nor cover more than MAX_RANGE_DAYS. */
export function checkRange(from: LocalDate, to: LocalDate, ctx: z.RefinementCtx): void {
  if (from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (daysBetween(from, to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
}

/** Whether the school is closed on `date`: a weekend (when weekends are skipped) or a holiday. */
export function isSkipped(date: LocalDate, skip: Skip): boolean {
  if (skip.weekends && isoWeekday(date) >= 6) return true;
  return skip.holidays.some((holiday) => (typeof holiday === 'string' ? holiday === date : holiday.from <= date && date <= holiday.to));
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[isoWeekday(date) - 1] as Weekday;
}

/** Every calendar date from `from` to `to`, both included. Throws InvalidTimeError (INVALID_INPUT) for a malformed date. */
export function daysInRange(from: LocalDate, to: LocalDate): LocalDate[] {
  const last = parse(localDateSchema, to, 'date');
  const days: LocalDate[] = [];
  for (let day = parse(localDateSchema, from, 'date'); day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

export interface Occurrence {
  /** The school's local date, 'YYYY-MM-DD'. */
  date: LocalDate;
  /** The instant, in UTC. */
  at: Date;
}

/** The dates at `time` in `zone`, sorted, each once. */
export function occurrencesOn(dates: LocalDate[], time: string, zone: string): Occurrence[] {
  return [...new Set(dates)].sort().map((date) => ({ date, at: zonedTime(date, time, zone) }));
}

/** Meetings spread over a range, see spreadEvenly. */
export const spreadSchema = z
  .object({
    count: z.number().int().min(1).max(400),
    from: localDateSchema,
    to: localDateSchema,
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).default(SCHOOL_WEEKDAYS),
    time: timeOfDaySchema,
    zone: timeZoneSchema,
    skip: skipSchema,
  })
  .superRefine((rule, ctx) => checkRange(rule.from, rule.to, ctx));

export type Spread = z.input<typeof spreadSchema>;

/**
 * `count` meetings spread evenly over the school days (the given weekdays,
 * minus skipped days) from `from` to `to`: the school days are cut into
 * `count` equal runs and each meeting takes the middle day of its run, so no
 * meeting falls on the first or last day of a term unless it must (e.g. a
 * lärgrupp's 6 meetings over a läsår with its lov listed as holidays).
 * Throws InvalidTimeError (INVALID_INPUT) for an invalid rule, or when there
 * are fewer school days than meetings.
 */
export function spreadEvenly(input: Spread): Occurrence[] {
  const result = spreadSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'spread'} ${issue.message}`);
    throw new InvalidTimeError(`Invalid spread: ${problems.join('; ')}`, { problems });
  }
  const rule = result.data;
  const days = daysInRange(rule.from, rule.to).filter((date) => rule.weekdays.includes(weekdayOf(date)) && !isSkipped(date, rule.skip));
  if (days.length < rule.count) {
    throw new InvalidTimeError(`Only ${days.length} school days between ${rule.from} and ${rule.to} for ${rule.count} meetings`);
  }
  const picked = Array.from({ length: rule.count }, (_, i) => days[Math.floor(((i + 0.5) * days.length) / rule.count)] as LocalDate);
  return occurrencesOn(picked, rule.time, rule.zone);
}

// --- When a nudge may reach a person ---

/** The evening and night, in the school's time zone, in which nothing is sent that a person did not ask for. */
export interface QuietHours {
  /** The start of the quiet time, e.g. '18:00'. */
  from: TimeOfDay;
  /** Its end the next morning (or the same day when later than `from`), e.g. '07:00'. */
  to: TimeOfDay;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { from: '18:00', to: '07:00' };

/** 'HH:MM-HH:MM' as quiet hours; undefined when malformed. */
export function parseQuietHours(text: string): QuietHours | undefined {
  const [from, to, ...rest] = text.split('-').map((part) => part.trim());
  if (rest.length > 0 || !timeOfDaySchema.safeParse(from).success || !timeOfDaySchema.safeParse(to).success || from === to) return undefined;
  return { from: from as TimeOfDay, to: to as TimeOfDay };
}

function isQuietTime(time: TimeOfDay, quiet: QuietHours): boolean {
  return quiet.from < quiet.to ? quiet.from <= time && time < quiet.to : time >= quiet.from || time < quiet.to;
}

/**
 * The first instant at or after `at` that is on a school day (no weekend,
 * none of `holidays`) and outside the quiet hours, in `zone`: `at` itself
 * when it already is, else the end of the quiet time on the next school
 * day. Reminders and puffar are planned with it, so none reaches a teacher
 * on a Saturday or at nine in the evening.
 */
export function nextSendingMoment(at: Date, zone: string, quiet: QuietHours, holidays: Skip['holidays'] = []): Date {
  const skip: Skip = { weekends: true, holidays };
  const sendable = (instant: Date): boolean => !isSkipped(localDateOf(instant, zone), skip) && !isQuietTime(localTimeOf(instant, zone), quiet);
  if (sendable(at)) return at;
  // A sendable stretch begins where the quiet time ends or where a school day begins.
  const first = localDateOf(at, zone);
  for (let day = first, i = 0; i <= MAX_RANGE_DAYS; day = addDays(day, 1), i++) {
    const starts = [zonedTime(day, '00:00', zone), zonedTime(day, quiet.to, zone)].sort((a, b) => a.getTime() - b.getTime());
    const next = starts.find((instant) => instant.getTime() >= at.getTime() && sendable(instant));
    if (next) return next;
  }
  throw new InvalidTimeError('No school day within two years to send on');
}
