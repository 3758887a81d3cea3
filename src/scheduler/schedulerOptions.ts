import { AppError } from '../domain/errors';
import type { Logger } from '../logger';
import type { Clock } from '../time';
import type { JobHandler } from './jobHandlers';
import type { JobRecord, ScheduleRepository } from './jobs';

/** How the scheduler is set up and asked for work, and what a pass reports. */

export interface ScheduleRequest {
  /** Chosen by the caller and stable (e.g. `goal-reminder|<dialogue>|7d`), which makes scheduling idempotent. */
  id: string;
  kind: string;
  dueAt: Date;
  payload: unknown;
}

export type ScheduleOutcome = 'created' | 'replaced' | 'unchanged';

export interface PassReport {
  /** Jobs whose handler finished successfully in this pass. */
  done: number;
  retried: number;
  failed: number;
  skipped: number;
  /** Jobs taken over from a runner whose lease expired. */
  takenOver: number;
  /** Claims or completions lost to another instance (or a cancel). */
  lost: number;
}

export interface RetryOptions {
  /** Runs in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SchedulerOptions {
  repository: ScheduleRepository;
  /** Unique per running process, written as the lease owner: `<instance>|<boot>` (instanceId.ts) lets a restart take back its own jobs at once. */
  instanceId: string;
  now: Clock;
  logger: Logger;
  handlers?: JobHandler[];
  /** Time between the end of one pass and the start of the next, ±10 %. */
  pollIntervalMs?: number;
  leaseMs?: number;
  retry?: Partial<RetryOptions>;
  /** Index entries read per round of a pass. */
  batchSize?: number;
  /** Jobs run side by side within a pass. */
  concurrency?: number;
  /** For backoff and poll jitter; Math.random by default. */
  random?: () => number;
}

export const SCHEDULER_DEFAULTS = {
  pollIntervalMs: 15_000,
  leaseMs: 5 * 60_000,
  retry: { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000 },
  batchSize: 50,
  concurrency: 4,
} as const;

export function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new AppError('INVALID_INPUT', `Scheduler option ${name} must be a positive number`);
  return value;
}

/** A job record without its lease: nobody runs it. */
export function withoutLease(job: JobRecord): JobRecord {
  const { leaseOwner: _owner, leaseExpiresAt: _expiry, ...rest } = job;
  return rest;
}

/** A job record that has ended with `status` at `at`: no lease, no wake time. */
export function finished(job: JobRecord, status: JobRecord['status'], at: string): JobRecord {
  const { wakeAt: _wake, ...rest } = withoutLease(job);
  return { ...rest, status, updatedAt: at, finishedAt: at };
}

/** A job record claimed by `owner` until `leaseExpiresAt`: running, one attempt more, woken again when the lease expires. */
export function leased(job: JobRecord, owner: string, leaseExpiresAt: string, at: string): JobRecord {
  return {
    ...job,
    status: 'running',
    attempts: job.attempts + 1,
    leaseOwner: owner,
    leaseExpiresAt,
    wakeAt: leaseExpiresAt,
    updatedAt: at,
  };
}

/** The options with their defaults, each checked positive. */
export function withDefaults(options: SchedulerOptions): {
  pollIntervalMs: number;
  leaseMs: number;
  retry: RetryOptions;
  batchSize: number;
  concurrency: number;
  random: () => number;
} {
  const retry = { ...SCHEDULER_DEFAULTS.retry, ...options.retry };
  positive(retry.maxAttempts, 'retry.maxAttempts');
  positive(retry.baseDelayMs, 'retry.baseDelayMs');
  positive(retry.maxDelayMs, 'retry.maxDelayMs');
  return {
    pollIntervalMs: positive(options.pollIntervalMs ?? SCHEDULER_DEFAULTS.pollIntervalMs, 'pollIntervalMs'),
    leaseMs: positive(options.leaseMs ?? SCHEDULER_DEFAULTS.leaseMs, 'leaseMs'),
    retry,
    batchSize: positive(options.batchSize ?? SCHEDULER_DEFAULTS.batchSize, 'batchSize'),
    concurrency: positive(options.concurrency ?? SCHEDULER_DEFAULTS.concurrency, 'concurrency'),
    random: options.random ?? Math.random,
  };
}

/** Exponential backoff after attempt n (1-based), with jitter between half and all of it. */
export function backoffMs(retry: RetryOptions, random: () => number, attempt: number): number {
  const full = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(full * (0.5 + 0.5 * random()));
}
