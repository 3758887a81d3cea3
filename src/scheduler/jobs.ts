import { z } from 'zod';

/**
 * A due job as stored. Times are ISO-8601 UTC strings. `wakeAt` is when a
 * poller must next look at the job — the due time while pending, the retry
 * time after a failed attempt, the lease expiry while running — and is
 * absent once the job is finished (done, skipped, failed, cancelled): the
 * repository indexes jobs by it, so finding what to do is one range read.
 *
 * Finished jobs keep their row, so scheduling an id that already ran does
 * not run it again. A cancelled job keeps its row too (cancelling is one
 * ETag-conditioned write, like every other change) and is replaced by the
 * next schedule of its id.
 */
export const SCHEDULED_JOB_STATUSES = ['pending', 'running', 'done', 'skipped', 'failed', 'cancelled'] as const;
export type ScheduledJobStatus = (typeof SCHEDULED_JOB_STATUSES)[number];

/** Job ids are chosen by the caller so that scheduling is idempotent, e.g. `reminder|<dialogue>|7d`. */
export const jobIdSchema = z.string().min(1).max(200);
export const jobKindSchema = z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, 'must be a lower-case kind such as checkin or goal-reminder');

/** Payloads are small: a Table property holds at most 32 K characters. */
export const MAX_PAYLOAD_CHARS = 30_000;

export const jobRecordSchema = z.object({
  id: jobIdSchema,
  kind: jobKindSchema,
  dueAt: z.string().datetime(),
  /** JSON text; each kind's handler parses it with its own schema. */
  payload: z.string().max(MAX_PAYLOAD_CHARS),
  status: z.enum(SCHEDULED_JOB_STATUSES),
  /** Runs started so far (first run, retries and takeovers). */
  attempts: z.number().int().min(0),
  wakeAt: z.string().datetime().optional(),
  leaseOwner: z.string().optional(),
  leaseExpiresAt: z.string().datetime().optional(),
  /** The code of the last failure (an error code, never a message: messages may carry personal data). */
  lastError: z.string().optional(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
  finishedAt: z.string().datetime().optional(),
});

export type JobRecord = z.infer<typeof jobRecordSchema>;

export interface StoredScheduledJob {
  job: JobRecord;
  eTag: string;
}

/** An index entry: the job `id` needs a look at `wakeAt`. */
export interface WakeEntry {
  id: string;
  wakeAt: string;
  eTag: string;
}

/**
 * Where jobs live. Every write is conditioned (insert-if-absent or the ETag
 * the caller read) and keeps the job's wake index in step with it
 * atomically, so two schedulers racing for a job cannot both win.
 */
export interface ScheduleRepository {
  get(id: string): Promise<StoredScheduledJob | undefined>;
  /** Fails with CONFLICT when a job with this id exists. */
  create(job: JobRecord): Promise<StoredScheduledJob>;
  /** Fails with STALE when the job changed or vanished since `previous` was read. */
  replace(previous: StoredScheduledJob, next: JobRecord): Promise<StoredScheduledJob>;
  /** Up to `limit` index entries with wakeAt ≤ `now`, earliest first; only those after `after` when given. */
  wakeable(now: Date, limit: number, after?: Pick<WakeEntry, 'id' | 'wakeAt'>): Promise<WakeEntry[]>;
  /** Removes an index entry that points at nothing (only if unchanged since read). */
  dropWakeEntry(entry: WakeEntry): Promise<void>;
}
