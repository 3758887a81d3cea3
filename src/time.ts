import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { AppError } from './domain/errors';

/**
 * Wall-clock times in a school's time zone. Schools plan in local time
 * ("the check-in goes out at 08:00"); jobs are stored in UTC. Everything
 * here is pure: no clock, no environment.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

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

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('INVALID_INPUT', `${what} ${result.error.issues[0]?.message ?? 'is invalid'}`, { value: String(value) });
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
 * Throws INVALID_INPUT for a malformed date, time or zone.
 */
export function zonedTime(date: string, time: string, zone: string = DEFAULT_TIME_ZONE): Date {
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
export function localDateOf(instant: Date, zone: string = DEFAULT_TIME_ZONE): LocalDate {
  return DateTime.fromJSDate(instant, { zone: parse(timeZoneSchema, zone, 'time zone') }).toISODate() ?? '';
}

/** The wall-clock time 'HH:MM' in `zone` at `instant`. */
export function localTimeOf(instant: Date, zone: string = DEFAULT_TIME_ZONE): TimeOfDay {
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
