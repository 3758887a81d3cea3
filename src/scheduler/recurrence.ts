import { z } from 'zod';
import { AppError } from '../domain/errors';
import {
  addDays,
  DEFAULT_TIME_ZONE,
  daysBetween,
  isoWeekday,
  type LocalDate,
  localDateSchema,
  timeOfDaySchema,
  timeZoneSchema,
  zonedTime,
} from '../time';

/**
 * Recurrences as pure functions: a rule in the school's local time in, the
 * UTC instants out (each with the local date it belongs to, which makes a
 * good part of an idempotent job id such as `checkin|<group>|<date>`).
 * Rules are zod-validated, so a rule stored with a dialogue or a learning
 * group can be parsed again when it is read back.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const SCHOOL_WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Longest range a rule may cover: two school years. */
const MAX_RANGE_DAYS = 731;

const dateRangeSchema = z
  .object({ from: localDateSchema, to: localDateSchema })
  .refine((range) => range.from <= range.to, 'from must not be after to');

/** Days the school is closed: single dates ('2026-06-06') or ranges ({ from, to }, e.g. a lov). */
export const holidaySchema = z.union([localDateSchema, dateRangeSchema]);

export const skipSchema = z
  .object({
    /** Leave out (or, for daysBefore, move away from) Saturdays and Sundays. */
    weekends: z.boolean().default(false),
    holidays: z.array(holidaySchema).max(400).default([]),
  })
  .default({});

const common = {
  time: timeOfDaySchema,
  zone: timeZoneSchema.default(DEFAULT_TIME_ZONE),
  skip: skipSchema,
};

/** On each of these dates at `time`; skipped dates are left out. */
const onDatesSchema = z.object({ type: z.literal('onDates'), dates: z.array(localDateSchema).min(1).max(500), ...common });

/**
 * `days` calendar days before `date` at `time` (a reminder before a
 * deadline). When that day is skipped, the occurrence moves to the nearest
 * earlier day that is not: a reminder is never dropped and never comes later.
 */
const daysBeforeSchema = z.object({ type: z.literal('daysBefore'), date: localDateSchema, days: z.number().int().min(0).max(366), ...common });

/** Every given weekday (Monday–Friday by default) from `from` to `to` inclusive at `time`; skipped days are left out. */
const weeklySchema = z.object({
  type: z.literal('weekly'),
  from: localDateSchema,
  to: localDateSchema,
  weekdays: z.array(z.enum(WEEKDAYS)).min(1).default(SCHOOL_WEEKDAYS),
  ...common,
});

export const recurrenceSchema = z.discriminatedUnion('type', [onDatesSchema, daysBeforeSchema, weeklySchema]).superRefine((rule, ctx) => {
  if (rule.type === 'weekly') checkRange(rule.from, rule.to, ctx);
});

/** Meetings spread over a range, see spreadEvenly. */
export const spreadSchema = z
  .object({
    count: z.number().int().min(1).max(400),
    from: localDateSchema,
    to: localDateSchema,
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).default(SCHOOL_WEEKDAYS),
    ...common,
  })
  .superRefine((rule, ctx) => checkRange(rule.from, rule.to, ctx));

function checkRange(from: LocalDate, to: LocalDate, ctx: z.RefinementCtx): void {
  if (from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (daysBetween(from, to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
}

export type Recurrence = z.input<typeof recurrenceSchema>;
export type Spread = z.input<typeof spreadSchema>;
type Skip = z.output<typeof skipSchema>;

export interface Occurrence {
  /** The school's local date, 'YYYY-MM-DD'. */
  date: LocalDate;
  /** The instant, in UTC. */
  at: Date;
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what} ${issue.message}`);
    throw new AppError('INVALID_INPUT', `Invalid ${what}: ${problems.join('; ')}`, { problems });
  }
  return result.data;
}

function isSkipped(date: LocalDate, skip: Skip): boolean {
  if (skip.weekends && isoWeekday(date) >= 6) return true;
  return skip.holidays.some((holiday) => (typeof holiday === 'string' ? holiday === date : holiday.from <= date && date <= holiday.to));
}

function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[isoWeekday(date) - 1] as Weekday;
}

function daysInRange(from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

function at(dates: LocalDate[], time: string, zone: string): Occurrence[] {
  return [...new Set(dates)].sort().map((date) => ({ date, at: zonedTime(date, time, zone) }));
}

/** The occurrences of a rule, earliest first, without duplicates. Throws INVALID_INPUT for an invalid rule. */
export function occurrences(input: Recurrence): Occurrence[] {
  const rule = parse(recurrenceSchema, input, 'recurrence');
  switch (rule.type) {
    case 'onDates':
      return at(
        rule.dates.filter((date) => !isSkipped(date, rule.skip)),
        rule.time,
        rule.zone,
      );
    case 'daysBefore': {
      let day = addDays(rule.date, -rule.days);
      // At most a year back: a rule that skips every day has no occurrence.
      for (let tries = 0; isSkipped(day, rule.skip); tries++) {
        if (tries > 366) return [];
        day = addDays(day, -1);
      }
      return at([day], rule.time, rule.zone);
    }
    case 'weekly':
      return at(
        daysInRange(rule.from, rule.to).filter((date) => rule.weekdays.includes(weekdayOf(date)) && !isSkipped(date, rule.skip)),
        rule.time,
        rule.zone,
      );
  }
}

/**
 * `count` meetings spread evenly over the school days (the given weekdays,
 * minus skipped days) from `from` to `to`: the school days are cut into
 * `count` equal runs and each meeting takes the middle day of its run, so no
 * meeting falls on the first or last day of a term unless it must (e.g. a
 * lärgrupp's 6 meetings over a läsår with its lov listed as holidays).
 * Throws INVALID_INPUT when there are fewer school days than meetings.
 */
export function spreadEvenly(input: Spread): Occurrence[] {
  const rule = parse(spreadSchema, input, 'spread');
  const days = daysInRange(rule.from, rule.to).filter((date) => rule.weekdays.includes(weekdayOf(date)) && !isSkipped(date, rule.skip));
  if (days.length < rule.count) {
    throw new AppError('INVALID_INPUT', `Only ${days.length} school days between ${rule.from} and ${rule.to} for ${rule.count} meetings`);
  }
  const picked = Array.from({ length: rule.count }, (_, i) => days[Math.floor(((i + 0.5) * days.length) / rule.count)] as LocalDate);
  return at(picked, rule.time, rule.zone);
}
