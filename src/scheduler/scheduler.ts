import { AppError, isAppError } from '../domain/errors';
import { retryOnStale } from '../domain/optimistic';
import { isPreviousLife } from '../instanceId';
import type { Logger } from '../logger';
import { mapBounded } from '../parallel';
import type { Clock } from '../time';
import { dueJobOf, errorCode, type JobHandler, newJobRecord, parsePayload, PermanentJobError } from './jobHandlers';
import { type JobRecord, jobKindSchema, type ScheduleRepository, type StoredScheduledJob, type WakeEntry } from './jobs';
import {
  backoffMs,
  finished,
  leased,
  type PassReport,
  type RetryOptions,
  type ScheduleOutcome,
  type ScheduleRequest,
  type SchedulerOptions,
  withDefaults,
  withoutLease,
} from './schedulerOptions';

/**
 * Durable due jobs. A poller runs in every instance of the bot; each pass
 * reads the jobs whose wake time has come and, for each:
 *
 * - claims it with an ETag-conditioned write that sets status running, the
 *   lease owner and the lease expiry (only one instance's write can succeed);
 * - runs the kind's handler and records done, or a retry time with
 *   exponential backoff, or failed with the error's code after the last
 *   attempt;
 * - takes over a job still marked running whose lease has expired (its
 *   runner died), counting that as an attempt;
 * - skips, instead of running, a job older than its kind's "too late"
 *   window (the bot was down past the time it mattered).
 *
 * Delivery is at least once: a runner that is alive but slower than its
 * lease can be overtaken, so the lease must exceed a handler's longest run
 * and handlers should be idempotent (the outbox's per-recipient rows make a
 * fan-out job so).
 */

/** Rounds of index reads in one pass; later jobs wait for the next pass. */
const MAX_ROUNDS_PER_PASS = 20;
/** Each poll comes up to this fraction of the interval early or late, so that instances started together drift apart. */
const POLL_JITTER = 0.1;

export class Scheduler {
  private readonly repository: ScheduleRepository;
  private readonly instanceId: string;
  private readonly now: Clock;
  private readonly log: Logger;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly retry: RetryOptions;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly random: () => number;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly unknownKindsLogged = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private currentPass: Promise<void> | undefined;
  private running = false;
  /** A wake-up came while a pass was under way: the next pass follows at once. */
  private wakeRequested = false;
  /** The first pass after start() also takes back what a previous life of this instance held. */
  private previousLivesDue = false;

  constructor(options: SchedulerOptions) {
    this.repository = options.repository;
    this.instanceId = options.instanceId;
    this.now = options.now;
    this.log = options.logger.child({ component: 'scheduler', instanceId: options.instanceId });
    const settings = withDefaults(options);
    this.pollIntervalMs = settings.pollIntervalMs;
    this.leaseMs = settings.leaseMs;
    this.retry = settings.retry;
    this.batchSize = settings.batchSize;
    this.concurrency = settings.concurrency;
    this.random = settings.random;
    for (const handler of options.handlers ?? []) this.register(handler);
  }

  /** Registers the handler of one kind; every instance registers the same handlers at start. */
  register<P>(handler: JobHandler<P>): void {
    if (!jobKindSchema.safeParse(handler.kind).success)
      throw new AppError('INVALID_INPUT', `Job kind ${handler.kind} must be lower-case letters, digits, . and -`);
    if (this.handlers.has(handler.kind)) throw new AppError('CONFLICT', `A handler for job kind ${handler.kind} is already registered`);
    this.handlers.set(handler.kind, handler);
  }

  /**
   * Schedules a job. Idempotent by id: the same request again changes
   * nothing; a job that is still pending (not run yet, or waiting for a
   * retry) or was cancelled is replaced by a request with another time, kind
   * or payload (its attempts start again); a job that is running or finished
   * (done, skipped, failed) is left as it is. Fails with INVALID_INPUT for an
   * unknown kind or a payload its handler does not accept as JSON.
   */
  async schedule(request: ScheduleRequest): Promise<{ outcome: ScheduleOutcome; job: JobRecord }> {
    const fresh = this.newRecord(request);
    return retryOnStale('scheduled job', async () => {
      const existing = await this.repository.get(fresh.id);
      if (!existing) return { outcome: 'created', job: (await this.created(fresh)).job };
      const { job } = existing;
      if (job.status === 'pending' && job.kind === fresh.kind && job.dueAt === fresh.dueAt && job.payload === fresh.payload) {
        return { outcome: 'unchanged', job };
      }
      if (job.status !== 'pending' && job.status !== 'cancelled') return { outcome: 'unchanged', job };
      const replaced = await this.repository.replace(existing, { ...fresh, createdAt: job.createdAt });
      return { outcome: 'replaced', job: replaced.job };
    });
  }

  /**
   * Schedules a job that is most likely new (its id names a moment, as a
   * card refresh's window does): one write that creates it, and only when it
   * exists already what schedule does.
   */
  async scheduleNew(request: ScheduleRequest): Promise<{ outcome: ScheduleOutcome; job: JobRecord }> {
    try {
      return { outcome: 'created', job: (await this.repository.create(this.newRecord(request))).job };
    } catch (error) {
      if (!isAppError(error, 'CONFLICT')) throw error;
    }
    return this.schedule(request);
  }

  /** Creates the job; STALE when another instance created it since it was looked for. */
  private async created(job: JobRecord): Promise<StoredScheduledJob> {
    try {
      return await this.repository.create(job);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) throw new AppError('STALE', `Job ${job.id} was created meanwhile`);
      throw error;
    }
  }

  /**
   * Cancels a pending or running job (a running handler is not stopped, but
   * its outcome is no longer recorded and it is not retried). Returns false
   * when there was nothing to cancel.
   */
  async cancel(id: string): Promise<boolean> {
    return retryOnStale('scheduled job', async () => {
      const existing = await this.repository.get(id);
      if (!existing || (existing.job.status !== 'pending' && existing.job.status !== 'running')) return false;
      await this.repository.replace(existing, finished(existing.job, 'cancelled', this.now().toISOString()));
      this.log.info({ jobId: id, kind: existing.job.kind }, 'job cancelled');
      return true;
    });
  }

  /** The stored job, for status displays and tests. */
  async get(id: string): Promise<JobRecord | undefined> {
    return (await this.repository.get(id))?.job;
  }

  /**
   * One pass: attends every job whose wake time is at or before `now`
   * (due, waiting for a retry, or with an expired lease), a few at a time,
   * and resolves when their handlers have finished.
   */
  async runDue(now: Date = this.now()): Promise<PassReport> {
    const report: PassReport = { done: 0, retried: 0, failed: 0, skipped: 0, takenOver: 0, lost: 0 };
    let after: WakeEntry | undefined;
    for (let round = 0; round < MAX_ROUNDS_PER_PASS; round++) {
      // Each round reads on from where the last one stopped, so entries left
      // alone (a kind this instance has no handler for) never hide the rest.
      const entries = await this.repository.wakeable(now, this.batchSize, after);
      after = entries.at(-1);
      if (entries.length === 0) break;
      await mapBounded(entries, this.concurrency, async (entry) => {
        try {
          await this.attend(entry, now, report);
        } catch (error) {
          // Storage trouble with one job: the others go on; this one is looked at again next pass.
          this.log.error({ jobId: entry.id, err: error }, 'could not attend to a due job');
        }
      });
      if (entries.length < this.batchSize) break;
    }
    return report;
  }

  /**
   * Takes back at once the jobs a previous life of this instance was running
   * when it died (instanceId.ts: the same instance, another boot), instead
   * of waiting for their leases to expire, and runs them. Other instances'
   * jobs still wait for their leases.
   */
  async takeBackPreviousLives(now: Date = this.now()): Promise<PassReport> {
    const report: PassReport = { done: 0, retried: 0, failed: 0, skipped: 0, takenOver: 0, lost: 0 };
    // A running job's wake time is its lease's expiry, at most leaseMs ahead.
    const horizon = new Date(now.getTime() + this.leaseMs);
    let after: WakeEntry | undefined;
    for (let round = 0; round < MAX_ROUNDS_PER_PASS; round++) {
      const entries = await this.repository.wakeable(horizon, this.batchSize, after);
      after = entries.at(-1);
      if (entries.length === 0) break;
      await mapBounded(entries, this.concurrency, async (entry) => {
        try {
          const stored = await this.repository.get(entry.id);
          const owner = stored?.job.status === 'running' ? stored.job.leaseOwner : undefined;
          if (owner !== undefined && isPreviousLife(owner, this.instanceId)) await this.attend(entry, now, report);
        } catch (error) {
          this.log.error({ jobId: entry.id, err: error }, 'could not take back a job of a previous life of this instance');
        }
      });
      if (entries.length < this.batchSize) break;
    }
    return report;
  }

  /**
   * Polls until stop(): a pass at once (to catch up on what was missed while
   * down, and to take back what a previous life of this instance held), then
   * one every pollIntervalMs.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.log.info({ pollIntervalMs: this.pollIntervalMs, leaseMs: this.leaseMs }, 'scheduler started');
    this.previousLivesDue = true;
    this.tick();
  }

  /** Stops polling and resolves when the pass under way (if any) has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.currentPass;
  }

  /**
   * Runs a pass at `at` rather than at the next poll, so that a job
   * scheduled a few seconds ahead (a status card to refresh) runs on time in
   * this instance. Other instances find it at their next poll.
   */
  wakeAt(at: Date): void {
    if (!this.running) return;
    const wake = setTimeout(
      () => {
        if (!this.running) return;
        if (this.currentPass) {
          this.wakeRequested = true;
          return;
        }
        if (this.timer) clearTimeout(this.timer);
        this.tick();
      },
      Math.max(0, at.getTime() - this.now().getTime()),
    );
    wake.unref();
  }

  private tick(): void {
    this.wakeRequested = false;
    const takeBack = this.previousLivesDue;
    this.previousLivesDue = false;
    const pass = async (): Promise<PassReport> => {
      if (takeBack) await this.takeBackPreviousLives();
      return this.runDue();
    };
    this.currentPass = pass()
      .then((report) => {
        if (Object.values(report).some((count) => count > 0)) this.log.debug({ report }, 'scheduler pass');
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'scheduler pass failed; trying again at the next'))
      .finally(() => {
        this.currentPass = undefined;
        if (!this.running) return;
        const delay = this.wakeRequested ? 0 : Math.round(this.pollIntervalMs * (1 - POLL_JITTER + 2 * POLL_JITTER * this.random()));
        this.timer = setTimeout(() => this.tick(), delay);
        // The server keeps the process alive; a forgotten stop() must not.
        this.timer.unref();
      });
  }

  private newRecord(request: ScheduleRequest): JobRecord {
    return newJobRecord(request, this.handlers.get(request.kind), this.now());
  }

  private async attend(entry: WakeEntry, now: Date, report: PassReport): Promise<void> {
    const stored = await this.repository.get(entry.id);
    if (!stored || stored.job.wakeAt !== entry.wakeAt) {
      // Another instance moved the job on since the index was read (its
      // entry went with it), or the entry points at nothing: drop it if it is
      // still there and unchanged.
      await this.repository.dropWakeEntry(entry);
      return;
    }
    const { job } = stored;
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      if (!this.unknownKindsLogged.has(job.kind)) {
        this.unknownKindsLogged.add(job.kind);
        this.log.warn({ jobId: job.id, kind: job.kind }, 'no handler for this job kind here; leaving its jobs to an instance that has one');
      }
      return;
    }
    const at = now.toISOString();
    if (job.status !== 'pending' && job.status !== 'running') {
      // A finished job with a wake time is not something this code writes; finish it properly.
      await this.write(stored, finished(job, job.status, at), report);
      return;
    }
    const maxAttempts = handler.maxAttempts ?? this.retry.maxAttempts;
    if (job.status === 'running' && job.attempts >= maxAttempts) {
      // Its runner died on the last attempt (perhaps the job itself kills the process): no more tries.
      await this.fail(stored, 'LEASE_EXPIRED', at, report);
      return;
    }
    const lateByMs = now.getTime() - Date.parse(job.dueAt);
    if (handler.tooLateAfterMs !== undefined && lateByMs > handler.tooLateAfterMs) {
      if (await this.write(stored, finished(job, 'skipped', at), report)) {
        report.skipped++;
        this.log.info({ jobId: job.id, kind: job.kind, dueAt: job.dueAt, lateByMs }, 'job skipped: too late to run');
      }
      return;
    }
    const payload = parsePayload(handler, job.payload);
    if (!payload.ok) {
      await this.fail(stored, 'INVALID_PAYLOAD', at, report);
      return;
    }
    const leaseExpiresAt = new Date(now.getTime() + this.leaseMs).toISOString();
    const claim = leased(job, this.instanceId, leaseExpiresAt, at);
    const claimed = await this.write(stored, claim, report);
    if (!claimed) return;
    if (job.status === 'running') {
      report.takenOver++;
      this.log.warn(
        { jobId: job.id, kind: job.kind, previousOwner: job.leaseOwner, attempt: claim.attempts },
        'job taken over (its lease expired, or its runner was a previous life of this instance)',
      );
    }
    await this.run(handler, claimed, payload.value, report, maxAttempts);
  }

  private async run(handler: JobHandler, claimed: StoredScheduledJob, payload: unknown, report: PassReport, maxAttempts: number): Promise<void> {
    const { job } = claimed;
    try {
      await handler.run(dueJobOf(job, payload));
    } catch (error) {
      const code = errorCode(error);
      const at = this.now();
      this.log.debug({ jobId: job.id, kind: job.kind, err: error }, 'job handler failed');
      if (error instanceof PermanentJobError || job.attempts >= maxAttempts) {
        await this.fail(claimed, code, at.toISOString(), report);
        return;
      }
      const retryAt = new Date(at.getTime() + backoffMs(this.retry, this.random, job.attempts)).toISOString();
      const retry: JobRecord = { ...withoutLease(job), status: 'pending', wakeAt: retryAt, lastError: code, updatedAt: at.toISOString() };
      if (await this.write(claimed, retry, report)) {
        report.retried++;
        this.log.warn({ jobId: job.id, kind: job.kind, code, attempt: job.attempts, retryAt }, 'job failed; will retry');
      }
      return;
    }
    if (await this.write(claimed, finished(job, 'done', this.now().toISOString()), report)) {
      report.done++;
      this.log.debug({ jobId: job.id, kind: job.kind, attempt: job.attempts }, 'job done');
    }
  }

  private async fail(stored: StoredScheduledJob, code: string, at: string, report: PassReport): Promise<void> {
    if (await this.write(stored, { ...finished(stored.job, 'failed', at), lastError: code }, report)) {
      report.failed++;
      this.log.warn({ jobId: stored.job.id, kind: stored.job.kind, code, attempts: stored.job.attempts }, 'job failed for good');
    }
  }

  /** An ETag-conditioned write; undefined when another instance (or a cancel) changed the job first. */
  private async write(previous: StoredScheduledJob, next: JobRecord, report: PassReport): Promise<StoredScheduledJob | undefined> {
    try {
      return await this.repository.replace(previous, next);
    } catch (error) {
      if (!isAppError(error, 'STALE')) throw error;
      report.lost++;
      if (previous.job.leaseOwner === this.instanceId && previous.job.status === 'running') {
        this.log.warn(
          { jobId: previous.job.id, kind: previous.job.kind },
          'job changed while running here (lease taken over or cancelled); its outcome is not recorded',
        );
      }
      return undefined;
    }
  }
}

/** The factory the wiring calls. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Scheduler(options);
}
