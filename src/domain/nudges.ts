import { z } from 'zod';
import {
  addDays,
  DEFAULT_QUIET_HOURS,
  isSkipped,
  localDateSchema,
  type LocalDate,
  MAX_RANGE_DAYS,
  nextSendingMoment,
  type QuietHours,
  type Skip,
  timeOfDaySchema,
  zonedTime,
} from '../time';
import type { Stored } from './optimistic';

/**
 * Puffar (nudges, seed 000's "MUST-puffar"): short messages a principal, a
 * manager or a learning group's samtalsledare plans ahead, tied to a goal,
 * the fokusområde, a development area or a group, that keep the work alive
 * between meetings. The rules here are pure: the stored shape, the form, and
 * when a nudge is sent (school days at a chosen time in the school's zone).
 * The use cases are in nudgeService.ts; sending is src/effects/nudges.ts.
 */

/** The longest text of a nudge: a puff is short. */
export const NUDGE_TEXT_MAX = 500;
/** The longest link. */
export const NUDGE_LINK_MAX = 2000;
/** A series is sent every 1 to this many weeks. */
export const NUDGE_MAX_EVERY_WEEKS = 8;

/** What the nudge is about, with its title as it read when the nudge was made (shown on every card it sends). */
export const nudgeTieSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('schoolGoal'), schoolId: z.string(), goalId: z.string(), title: z.string() }),
  z.object({ kind: z.literal('overarchingGoal'), goalId: z.string(), title: z.string() }),
  z.object({ kind: z.literal('focusArea'), schoolId: z.string(), title: z.string() }),
  z.object({ kind: z.literal('developmentArea'), areaId: z.string(), title: z.string() }),
  z.object({ kind: z.literal('group'), groupId: z.string(), title: z.string() }),
]);
export type NudgeTie = z.infer<typeof nudgeTieSchema>;

/** Who gets it: a conversation (the staff team's channel it was made in), a learning group's conversation, or a målsamtal's participants, each in 1:1. */
export const nudgeAudienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('conversation'), conversationId: z.string(), serviceUrl: z.string(), name: z.string() }),
  z.object({ kind: z.literal('group'), groupId: z.string(), conversationId: z.string(), name: z.string() }),
  z.object({ kind: z.literal('dialogue'), dialogueId: z.string(), name: z.string() }),
]);
export type NudgeAudience = z.infer<typeof nudgeAudienceSchema>;

/** Once on a day, or every N weeks from a first day to a last day; always at `time` in the school's zone. */
export const nudgeScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), date: localDateSchema, time: timeOfDaySchema }),
  z.object({
    kind: z.literal('series'),
    from: localDateSchema,
    to: localDateSchema,
    everyWeeks: z.number().int().min(1).max(NUDGE_MAX_EVERY_WEEKS),
    time: timeOfDaySchema,
  }),
]);
export type NudgeSchedule = z.infer<typeof nudgeScheduleSchema>;

export const NUDGE_STATUSES = ['active', 'paused', 'stopped', 'finished'] as const;
export type NudgeStatus = (typeof NUDGE_STATUSES)[number];

export const nudgeSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  text: z.string().min(1).max(NUDGE_TEXT_MAX),
  link: z.string().max(NUDGE_LINK_MAX).optional(),
  tie: nudgeTieSchema,
  audience: nudgeAudienceSchema,
  schedule: nudgeScheduleSchema,
  /** The school (or the organisation level) whose principals (managers) may change it besides its creator. */
  unitId: z.string().optional(),
  createdBy: z.object({ aadObjectId: z.string(), name: z.string() }),
  /** The conversation it was made in (a channel, a group chat, or the creator's 1:1 chat). */
  createdIn: z.string(),
  /** The language it was made in: the frame of what it sends into a conversation. */
  language: z.enum(['sv', 'en']),
  status: z.enum(NUDGE_STATUSES),
  /** The next sending while active: its local date (part of the job's id) and instant. */
  next: z.object({ date: localDateSchema, at: z.string() }).optional(),
  /** The date of the last sending committed (the outbox then holds it), and how many in all. */
  lastSentDate: localDateSchema.optional(),
  sentCount: z.number().int().min(0).default(0),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Who last paused, resumed or stopped it. */
  changedBy: z.string().optional(),
});
export type Nudge = z.infer<typeof nudgeSchema>;

export interface NudgeRepository {
  /** CONFLICT when a nudge with the id exists. */
  create(nudge: Nudge): Promise<void>;
  get(tenantId: string, nudgeId: string): Promise<Stored<Nudge> | undefined>;
  /** STALE when it changed since it was read. */
  save(nudge: Nudge, eTag: string): Promise<void>;
  /** Every nudge of the tenant, newest first. */
  list(tenantId: string): Promise<Nudge[]>;
}

// --- When a nudge is sent ---

/** What decides the sending instants: the zone, the quiet hours and the organisation file's holidays. */
export interface NudgeCalendar {
  timeZone: string;
  quietHours?: QuietHours;
  holidays: Skip['holidays'];
}

function schoolSkip(calendar: NudgeCalendar): Skip {
  return { weekends: true, holidays: calendar.holidays };
}

/** The first school day at or after `date` (no weekend, no holiday); within two years. */
export function firstSchoolDay(date: LocalDate, calendar: NudgeCalendar): LocalDate | undefined {
  const skip = schoolSkip(calendar);
  for (let day = date, i = 0; i <= MAX_RANGE_DAYS; day = addDays(day, 1), i++) if (!isSkipped(day, skip)) return day;
  return undefined;
}

/**
 * The sending dates of a schedule, earliest first. Once: the chosen day, or
 * the first school day after it when the school is closed. A series: from
 * the first school day at or after `from`, every N weeks on that weekday up
 * to `to`; a date that falls on a holiday is left out (a lov week gets no
 * puff), the series keeps its rhythm.
 */
export function nudgeDates(schedule: NudgeSchedule, calendar: NudgeCalendar): LocalDate[] {
  if (schedule.kind === 'once') {
    const day = firstSchoolDay(schedule.date, calendar);
    return day ? [day] : [];
  }
  const first = firstSchoolDay(schedule.from, calendar);
  if (!first) return [];
  const dates: LocalDate[] = [];
  const skip = schoolSkip(calendar);
  for (let day = first; day <= schedule.to; day = addDays(day, 7 * schedule.everyWeeks)) if (!isSkipped(day, skip)) dates.push(day);
  return dates;
}

/** The instant of a sending on `date`: the chosen time, never in the quiet hours nor on a closed day (nextSendingMoment). */
export function sendingInstant(date: LocalDate, time: string, calendar: NudgeCalendar): Date {
  return nextSendingMoment(zonedTime(date, time, calendar.timeZone), calendar.timeZone, calendar.quietHours ?? DEFAULT_QUIET_HOURS, calendar.holidays);
}

/** The next sending at or after `notBefore`, and after the date `after` when given; undefined when the schedule has no more. */
export function nextSending(schedule: NudgeSchedule, calendar: NudgeCalendar, notBefore: Date, after?: LocalDate): { date: LocalDate; at: string } | undefined {
  for (const date of nudgeDates(schedule, calendar)) {
    if (after !== undefined && date <= after) continue;
    const at = sendingInstant(date, schedule.time, calendar);
    if (at.getTime() >= notBefore.getTime()) return { date, at: at.toISOString() };
  }
  return undefined;
}

// --- The form ---

export type NudgeField = 'text' | 'link' | 'tie' | 'audience' | 'date' | 'to' | 'everyWeeks' | 'time';
export type NudgeProblem =
  'required' | 'tooLong' | 'notHttps' | 'badLink' | 'unknown' | 'past' | 'beforeFrom' | 'tooFar' | 'badNumber' | 'badTime' | 'quietTime' | 'noDates';

/** What the form submits, as typed (every input is text in an Action.Execute). */
export const nudgeFormSchema = z.object({
  text: z.string().default(''),
  link: z.string().default(''),
  tie: z.string().default(''),
  audience: z.string().default(''),
  repeat: z.enum(['once', 'series']).catch('once'),
  date: z.string().default(''),
  to: z.string().default(''),
  everyWeeks: z.union([z.string(), z.number()]).transform(String).default('2'),
  time: z.string().default(''),
});
export type NudgeFormValues = z.infer<typeof nudgeFormSchema>;

/** A link a nudge may carry: https only, a host, no user name or password in it. */
export function linkProblem(link: string): NudgeProblem | undefined {
  if (link.length > NUDGE_LINK_MAX) return 'tooLong';
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'badLink';
  }
  if (url.protocol !== 'https:') return 'notHttps';
  if (!url.hostname || url.username || url.password || /\s/.test(link)) return 'badLink';
  return undefined;
}

function isQuiet(time: string, quiet: QuietHours): boolean {
  return quiet.from < quiet.to ? quiet.from <= time && time < quiet.to : time >= quiet.from || time < quiet.to;
}

export type NudgeFormResult =
  | { ok: true; value: { text: string; link?: string; tie: string; audience: string; schedule: NudgeSchedule; next: { date: LocalDate; at: string } } }
  | { ok: false; problems: Partial<Record<NudgeField, NudgeProblem>>; typed: NudgeFormValues };

/**
 * Reads the form: the text (1–500 characters), an https link or none, what
 * it is tied to and who gets it among the `allowed` choices (those the
 * creator owns, worked out on the server), and the schedule, which must
 * have a sending ahead of `now` outside the quiet hours.
 */
export function readNudgeForm(
  data: Record<string, unknown>,
  allowed: { ties: ReadonlySet<string>; audiences: ReadonlySet<string> },
  calendar: NudgeCalendar,
  now: Date,
  today: LocalDate,
): NudgeFormResult {
  const typed = nudgeFormSchema.parse(data);
  const problems: Partial<Record<NudgeField, NudgeProblem>> = {};
  const text = typed.text.trim();
  if (!text) problems.text = 'required';
  else if (text.length > NUDGE_TEXT_MAX) problems.text = 'tooLong';
  const link = typed.link.trim();
  const badLink = link ? linkProblem(link) : undefined;
  if (badLink) problems.link = badLink;
  if (!typed.tie) problems.tie = 'required';
  else if (!allowed.ties.has(typed.tie)) problems.tie = 'unknown';
  if (!typed.audience) problems.audience = 'required';
  else if (!allowed.audiences.has(typed.audience)) problems.audience = 'unknown';

  const quiet = calendar.quietHours ?? DEFAULT_QUIET_HOURS;
  const time = typed.time.slice(0, 5);
  if (!timeOfDaySchema.safeParse(time).success) problems.time = typed.time ? 'badTime' : 'required';
  else if (isQuiet(time, quiet)) problems.time = 'quietTime';
  const date = typed.date;
  if (!localDateSchema.safeParse(date).success) problems.date = 'required';
  else if (date < today) problems.date = 'past';
  let schedule: NudgeSchedule | undefined;
  if (typed.repeat === 'series') {
    const everyWeeks = Number(typed.everyWeeks);
    if (!Number.isInteger(everyWeeks) || everyWeeks < 1 || everyWeeks > NUDGE_MAX_EVERY_WEEKS) problems.everyWeeks = 'badNumber';
    if (!localDateSchema.safeParse(typed.to).success) problems.to = 'required';
    else if (!problems.date && typed.to < date) problems.to = 'beforeFrom';
    else if (!problems.date && addDays(date, MAX_RANGE_DAYS) < typed.to) problems.to = 'tooFar';
    if (Object.keys(problems).length === 0) schedule = { kind: 'series', from: date, to: typed.to, everyWeeks, time };
  } else if (Object.keys(problems).length === 0) {
    schedule = { kind: 'once', date, time };
  }
  const next = schedule ? nextSending(schedule, calendar, now) : undefined;
  if (schedule && !next) problems.date = 'noDates';
  if (!schedule || !next || Object.keys(problems).length > 0) return { ok: false, problems, typed };
  return { ok: true, value: { text, ...(link ? { link } : {}), tie: typed.tie, audience: typed.audience, schedule, next } };
}
