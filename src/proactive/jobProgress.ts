import type { Logger } from '../logger';
import { type ProgressHandler, readProgress } from './outbox';
import { openCount, type OpenJobEntry, type OutboxRepository } from './outboxRepository';
import type { SenderDeps } from './senderOptions';

/**
 * The open jobs a sender knows of (from the open-jobs index), and their
 * progress: each job's progress goes to the handlers registered for its
 * kind, at most once per progressIntervalMs per job and instance, and once
 * when the job completes (by the instance that marks it done).
 */

export interface JobState {
  entry: OpenJobEntry;
  /** Rows of the job queued or in progress here. */
  held: number;
  /** Not worth scanning before this time (ms): no claimable rows were found. */
  dryUntil: number;
  /** The earliest retry this instance scheduled for the job and has not seen due yet (ms). */
  nextRetryAt: number;
  completing: boolean;
  /** When completion was last checked, and whether a row finished here since. */
  checkedAt: number;
  finishedSinceCheck: boolean;
  /** Done (reported by this instance): no more interim reports. */
  finished: boolean;
  /** Rows finished since the last report was read. */
  changed: boolean;
  lastReportAt: number;
  reportTimer: NodeJS.Timeout | undefined;
  /** A report being read or handled. */
  reporting: Promise<void> | undefined;
}

export interface OpenJobsDeps {
  repository: OutboxRepository;
  now: SenderDeps['now'];
  log: Logger;
  /** Progress is reported at most this often per job. */
  progressIntervalMs: number;
  /** Whether the sender runs: a stopped sender sends no interim reports. */
  running: () => boolean;
}

export class OpenJobs {
  private readonly jobs = new Map<string, JobState>();
  private readonly handlers = new Map<string, ProgressHandler[]>();

  constructor(private readonly deps: OpenJobsDeps) {}

  get size(): number {
    return this.jobs.size;
  }

  all(): JobState[] {
    return [...this.jobs.values()];
  }

  hasTenant(tenantId: string): boolean {
    return this.all().some((job) => job.entry.tenantId === tenantId);
  }

  /** Takes in a fresh read of the open-jobs index: new jobs are tracked, jobs no longer listed and not held here forgotten. */
  track(entries: readonly OpenJobEntry[]): void {
    const listed = new Set(entries.map((entry) => entry.jobId));
    for (const entry of entries) {
      const job = this.jobs.get(entry.jobId);
      if (job) job.entry = entry;
      else this.jobs.set(entry.jobId, newJobState(entry));
    }
    for (const job of this.all()) {
      if (!listed.has(job.entry.jobId) && job.held === 0) this.forget(job);
    }
  }

  onProgress(kind: string, handler: ProgressHandler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  /** A row of the job finished here: its progress is reported now, or when its interval has passed since the last report. */
  noteProgress(job: JobState): void {
    job.changed = true;
    this.scheduleReport(job);
  }

  /** No more interim reports (the sender stops). */
  stopReports(): void {
    for (const job of this.jobs.values()) {
      if (job.reportTimer) clearTimeout(job.reportTimer);
      job.reportTimer = undefined;
    }
  }

  /** Marks the job done when no row is open, reports it and leaves the open-jobs index. */
  async tryComplete(job: JobState): Promise<void> {
    if (job.completing) return;
    job.completing = true;
    job.checkedAt = this.ms();
    job.finishedSinceCheck = false;
    try {
      const { repository } = this.deps;
      const jobId = job.entry.jobId;
      const stored = await repository.getJob(jobId);
      if (!stored) {
        await repository.closeOpenEntry(job.entry);
        this.forget(job);
        return;
      }
      if (stored.job.enqueuingUntil !== undefined && Date.parse(stored.job.enqueuingUntil) > this.ms()) return;
      const counts = await repository.countStatuses(jobId);
      if (openCount(counts) > 0) {
        // Rows added after the job completed, by an enqueue that died before sealing it.
        if (stored.job.status === 'done') await repository.reopenJob(jobId, stored.eTag, this.deps.now());
        return;
      }
      if (stored.job.status === 'open') {
        if (!(await repository.completeJob(jobId, stored.eTag, counts, this.deps.now()))) return;
        this.deps.log.info(
          { jobId, kind: job.entry.kind, sent: counts.sent, failed: counts.failed, failedByReason: counts.failedByReason },
          'outbox: delivery job done',
        );
      }
      // A job found done but still indexed was completed by a sender that died before
      // leaving the index: its completion is reported again (at least once).
      job.finished = true;
      if (job.reportTimer) clearTimeout(job.reportTimer);
      job.reportTimer = undefined;
      await job.reporting;
      await this.report(job);
      await repository.closeOpenEntry(job.entry);
      this.forget(job);
    } finally {
      job.completing = false;
    }
  }

  private ms(): number {
    return this.deps.now().getTime();
  }

  private forget(job: JobState): void {
    if (job.reportTimer) clearTimeout(job.reportTimer);
    this.jobs.delete(job.entry.jobId);
  }

  private scheduleReport(job: JobState): void {
    if (!job.changed || !this.handlers.has(job.entry.kind) || job.finished || job.reportTimer || job.reporting || !this.jobs.has(job.entry.jobId)) return;
    const wait = Math.max(0, job.lastReportAt + this.deps.progressIntervalMs - this.ms());
    job.reportTimer = setTimeout(() => {
      job.reportTimer = undefined;
      if (this.deps.running() && !job.finished) void this.report(job);
    }, wait);
  }

  /** Reads the job's progress and hands it to the kind's handlers, one report at a time. */
  private report(job: JobState): Promise<void> {
    const handlers = this.handlers.get(job.entry.kind);
    if (!handlers) return Promise.resolve();
    const final = job.finished;
    job.changed = false;
    const reporting = (async () => {
      try {
        const progress = await readProgress(this.deps.repository, job.entry.jobId);
        if (!progress || (job.finished && !final)) return;
        job.lastReportAt = this.ms();
        for (const handler of handlers) {
          try {
            await handler(progress);
          } catch (error) {
            this.deps.log.error({ err: error, jobId: job.entry.jobId }, 'outbox: a progress handler failed');
          }
        }
      } catch (error) {
        this.deps.log.warn({ err: error, jobId: job.entry.jobId }, 'outbox: reading progress failed');
      }
    })();
    job.reporting = reporting.finally(() => {
      job.reporting = undefined;
      // Rows finished while this report ran: the next report after the interval.
      if (!final) this.scheduleReport(job);
    });
    return job.reporting;
  }
}

function newJobState(entry: OpenJobEntry): JobState {
  return {
    entry,
    held: 0,
    dryUntil: Number.NEGATIVE_INFINITY,
    nextRetryAt: Number.POSITIVE_INFINITY,
    completing: false,
    checkedAt: Number.NEGATIVE_INFINITY,
    finishedSinceCheck: false,
    finished: false,
    changed: false,
    lastReportAt: Number.NEGATIVE_INFINITY,
    reportTimer: undefined,
    reporting: undefined,
  };
}
