import { performance } from 'node:perf_hooks';
import { openCount, type OutboxRepository } from '../proactive';

/**
 * How the goal dialogue's start job (goalDialogues.ts) keeps behind the
 * sender: it writes a batch of participations and invitations only when
 * the invitations queued before it run low, so that the writes of a large
 * team spread over the whole fan-out instead of crowding its first seconds
 * on the cores that also send. The queue never runs dry: a batch is written
 * while START_AHEAD invitations are still queued, and writing one takes far
 * less than sending them.
 *
 * Before looking, the job waits for the earliest moment the queue could be
 * that low: the sender cannot go faster than the tenant's requests a
 * second (one request an invitation when the teacher's chat exists). Then
 * it counts what the outbox still holds unsent (one read of the job's
 * partition) and waits on while that is more than START_AHEAD. A sender
 * that did not move between two looks (none running, or another instance's
 * that is stopped) is not waited for: there is nothing to keep behind.
 */

/** Teachers per batch of the start job: one outbox transaction (at most 100 rows) per batch. */
export const START_BATCH = 100;
/** The first batch is smaller, so that sending begins a moment after the submit. */
export const FIRST_START_BATCH = 20;

/** Where each batch of the start job begins, for a dialogue of `participants` teachers. */
export function startBatches(participants: number): number[] {
  const starts = [0];
  for (let start = FIRST_START_BATCH; start < participants; start += START_BATCH) starts.push(start);
  return starts;
}

/** Invitations kept queued when the next batch is written: one batch, 2 s of sending at 50 a second, 4 s when chats are new. */
export const START_AHEAD = 100;
/** The start job waits for at most this long in all, well inside its scheduler lease (5 minutes). */
export const MAX_START_PACING_MS = 2 * 60_000;

/**
 * The earliest moment (ms after the run began) the sender, sending
 * `perSecond` since then, could be down to START_AHEAD of the `queued`
 * invitations this run has queued so far.
 */
export function startPacing(queued: number, perSecond: number): number {
  return Math.max(0, ((queued - START_AHEAD) / perSecond) * 1000);
}

export class StartPacer {
  private readonly startedAt = performance.now();
  /** Invitations sent or failed at the last look; -1 before the first. */
  private finishedAtLastLook = -1;

  constructor(
    private readonly outbox: Pick<OutboxRepository, 'countStatuses'>,
    private readonly jobId: string,
    /** The tenant's requests a second: the fastest invitations go. */
    private readonly perSecond: number,
  ) {}

  /** Resolves when the batch that follows `queued` invitations of this run should be written. */
  async beforeBatch(queued: number): Promise<void> {
    await this.sleepUntil(this.startedAt + startPacing(queued, this.perSecond));
    for (;;) {
      const counts = await this.outbox.countStatuses(this.jobId);
      const unsent = openCount(counts);
      const finished = counts.sent + counts.failed;
      const stalled = finished === this.finishedAtLastLook;
      this.finishedAtLastLook = finished;
      if (unsent <= START_AHEAD || stalled) return;
      if (!(await this.sleepUntil(performance.now() + ((unsent - START_AHEAD) / this.perSecond) * 1000))) return;
    }
  }

  /** Waits until `at`, never past the run's MAX_START_PACING_MS; false when that limit is reached. */
  private async sleepUntil(at: number): Promise<boolean> {
    const limit = this.startedAt + MAX_START_PACING_MS;
    const ms = Math.min(at, limit) - performance.now();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    return at < limit;
  }
}
