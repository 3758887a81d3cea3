import { z } from 'zod';
import { AppError } from '../domain/errors';
import {
  addDays,
  checkRange,
  daysInRange,
  isSkipped,
  localDateSchema,
  type Occurrence,
  occurrencesOn,
  SCHOOL_WEEKDAYS,
  skipSchema,
  timeOfDaySchema,
  timeZoneSchema,
  WEEKDAYS,
  weekdayOf,
} from '../time';

/**
 * Recurrences as pure functions: a rule in the school's local time in, the
 * UTC instants out (each with the local date it belongs to, which makes a
 * good part of an idempotent job id such as `checkin|<group>|<date>`).
 * Rules are zod-validated, so a rule stored with a dialogue or a learning
 * group can be parsed again when it is read back. The zone is part of the
 * rule and has no default: it is the configured one (config.timeZone).
 * School days, holidays and spreading meetings over them are in src/time.ts.
 */

const common = {
  time: timeOfDaySchema,
  zone: timeZoneSchema,
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

export type Recurrence = z.input<typeof recurrenceSchema>;

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what} ${issue.message}`);
    throw new AppError('INVALID_INPUT', `Invalid ${what}: ${problems.join('; ')}`, { problems });
  }
  return result.data;
}

/** The occurrences of a rule, earliest first, without duplicates. Throws INVALID_INPUT for an invalid rule. */
export function occurrences(input: Recurrence): Occurrence[] {
  const rule = parse(recurrenceSchema, input, 'recurrence');
  switch (rule.type) {
    case 'onDates':
      return occurrencesOn(
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
      return occurrencesOn([day], rule.time, rule.zone);
    }
    case 'weekly':
      return occurrencesOn(
        daysInRange(rule.from, rule.to).filter((date) => rule.weekdays.includes(weekdayOf(date)) && !isSkipped(date, rule.skip)),
        rule.time,
        rule.zone,
      );
  }
}
