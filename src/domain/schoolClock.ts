import type { Clock, QuietHours } from '../time';

/**
 * The school's clock, as the use cases see it: the instant now, and the
 * time zone (config.timeZone) in which the school's days, deadlines and
 * meeting times are read. Built once in src/index.ts; tests move `now`.
 */
export interface SchoolClock {
  readonly now: Clock;
  readonly timeZone: string;
  /** When nothing unasked is sent (config.quietHours); DEFAULT_QUIET_HOURS when absent. */
  readonly quietHours?: QuietHours;
}
