import { addDays, spreadEvenly, zonedTime } from '../time';
import { isAppError } from './errors';
import { type CheckIn, checkInId, type Group, MAX_MEETINGS, type Meeting, meetingsInOrder, nextMeetingAfter, PHASES, type Phase } from './learningGroup';
import type { SchoolYear } from './organisation';

/**
 * A learning group's calendar: when its meetings are, when each check-in
 * is posted, reminded and closed, which one is due next, and how meetings
 * are spread over the läsår. Pure rules: the time zone (config.timeZone)
 * and the instant are passed in; nothing is read or stored here. Used by
 * the service in a turn and by the effects in scheduled jobs alike.
 */

const HOUR_MS = 3_600_000;
/** The last meeting's after check-in stays open this many days. */
const LAST_CHECK_IN_OPEN_DAYS = 14;
/** A check-in posted after its usual closing (on demand) stays open this long. */
const LATE_CHECK_IN_OPEN_MS = 24 * HOUR_MS;

/** When a meeting starts and ends, as instants. */
export function meetingTimes(group: Group, meeting: Meeting, timeZone: string): { start: Date; end: Date } {
  return { start: zonedTime(meeting.date, group.startTime, timeZone), end: zonedTime(meeting.date, group.endTime, timeZone) };
}

/** When a check-in is posted: before, `beforeLeadHours` ahead of the meeting; after, when it ends. */
export function postTime(group: Group, meeting: Meeting, phase: Phase, timeZone: string): Date {
  const { start, end } = meetingTimes(group, meeting, timeZone);
  return phase === 'before' ? new Date(start.getTime() - group.beforeLeadHours * HOUR_MS) : end;
}

/**
 * When a check-in closes: at the next meeting (the before check-in at the
 * start of its own meeting, which is "the next meeting" for it). The last
 * meeting's after check-in stays open two weeks.
 */
export function closeTime(group: Group, meeting: Meeting, phase: Phase, timeZone: string): Date {
  if (phase === 'before') return meetingTimes(group, meeting, timeZone).start;
  const next = nextMeetingAfter(group, meeting);
  if (next) return meetingTimes(group, next, timeZone).start;
  return zonedTime(addDays(meeting.date, LAST_CHECK_IN_OPEN_DAYS), group.endTime, timeZone);
}

/**
 * When a check-in opened at `now` closes: as usual when that is still
 * ahead; a check-in posted late (on demand, after its usual closing) stays
 * open a day.
 */
export function closesAt(group: Group, meeting: Meeting, phase: Phase, now: Date, timeZone: string): Date {
  const usual = closeTime(group, meeting, phase, timeZone);
  return usual.getTime() > now.getTime() ? usual : new Date(now.getTime() + LATE_CHECK_IN_OPEN_MS);
}

/**
 * When members who have not answered are reminded: `reminderLeadHours`
 * before closing, but never in the first half of the time it is open (a
 * before check-in posted 24 hours ahead would otherwise remind at once).
 */
export function reminderTime(group: Group, checkIn: CheckIn): Date {
  const posted = Date.parse(checkIn.postedAt);
  const closes = Date.parse(checkIn.closesAt);
  return new Date(Math.max(closes - group.reminderLeadHours * HOUR_MS, posted + (closes - posted) / 2));
}

/**
 * When the samtalsledare gets a before check-in's summary, to prepare the
 * meeting: `leadHours` before it closes (the meeting's start), but never
 * before three quarters of its open time have passed (members posted late,
 * or reminded at half time, still get a while to answer first). Undefined
 * when that is not before it closes (a lead of 0): the summary then comes
 * when it closes, as an after check-in's does.
 */
export function beforeSummaryTime(checkIn: CheckIn, leadHours: number): Date | undefined {
  if (checkIn.phase !== 'before') return undefined;
  const posted = Date.parse(checkIn.postedAt);
  const closes = Date.parse(checkIn.closesAt);
  const at = Math.max(closes - leadHours * HOUR_MS, posted + ((closes - posted) * 3) / 4);
  return at < closes ? new Date(at) : undefined;
}

/**
 * The first check-in not posted yet (`posted` holds the ids of those that
 * are) that has not closed already, if any, and whether it may be posted
 * now. A before check-in may be posted any time before its meeting starts
 * (it closes then). An after check-in asks how the meeting went, so it may
 * be posted once its meeting has started (the facilitator can post it at
 * the end, while everyone is still there), never earlier.
 */
export function nextCheckIn(
  group: Group,
  posted: ReadonlySet<string>,
  now: Date,
  timeZone: string,
): { meeting: Meeting; phase: Phase; due: boolean } | undefined {
  for (const meeting of meetingsInOrder(group)) {
    for (const phase of PHASES) {
      if (posted.has(checkInId(group.id, meeting.id, phase))) continue;
      if (closeTime(group, meeting, phase, timeZone).getTime() <= now.getTime()) continue;
      const due = phase === 'before' || meetingTimes(group, meeting, timeZone).start.getTime() <= now.getTime();
      return { meeting, phase, due };
    }
  }
  return undefined;
}

/** The group's meeting on a local date (today's, for meeting start and end events). */
export function meetingOn(group: Group, date: string): Meeting | undefined {
  return group.meetings.find((m) => m.date === date);
}

/**
 * `count` meeting dates over what is left of the läsår after `today`, on
 * school days (no weekends, none of the läsår's holidays), evenly spread.
 * Fewer when fewer school days are left; none when the läsår is over.
 * `startTime` is the meetings' time of day, in `timeZone`.
 */
export function spreadMeetings(year: SchoolYear, count: number, today: string, startTime: string, timeZone: string): string[] {
  const from = [year.start, addDays(today, 1)].sort()[1]!;
  if (from > year.end || count < 1) return [];
  const holidays = year.holidays.map((entry) => {
    const [start, end = start] = entry.split('/') as [string, string?];
    return { from: start, to: end };
  });
  const spread = (n: number): string[] => {
    try {
      return spreadEvenly({ count: n, from, to: year.end, time: startTime, zone: timeZone, skip: { weekends: true, holidays } }).map((o) => o.date);
    } catch (error) {
      if (isAppError(error, 'INVALID_INPUT') && n > 1) return spread(n - 1);
      if (isAppError(error, 'INVALID_INPUT')) return [];
      throw error;
    }
  };
  return spread(Math.min(count, MAX_MEETINGS));
}
