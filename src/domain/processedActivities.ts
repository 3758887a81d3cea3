/**
 * Each activity takes effect once. Teams delivers an activity again (same
 * id, same conversation) when the bot answered slowly or with an error; the
 * first turn to claim an activity id runs it, a redelivery finds the claim
 * and does nothing. Claims are kept in storage, so they hold across
 * instances and restarts, for PROCESSED_ACTIVITY_TTL_MS.
 */
export interface ProcessedActivities {
  /**
   * Records the activity as being processed (create-if-absent). True for the
   * first caller; false while an earlier claim of the same activity lasts.
   */
  claim(conversationId: string, activityId: string, at: Date): Promise<boolean>;
  /** Forgets a claim, so that Teams' redelivery of a turn that failed runs it again. */
  release(conversationId: string, activityId: string): Promise<void>;
  /** Deletes claims that expired before `at` (clean-up; an expired claim is ignored anyway). Returns how many. */
  sweep(at: Date): Promise<number>;
}

/**
 * How long a claim holds. Teams redelivers within seconds to minutes; a day
 * is far beyond that and keeps the table at about one day of activities.
 */
export const PROCESSED_ACTIVITY_TTL_MS = 24 * 3_600_000;
