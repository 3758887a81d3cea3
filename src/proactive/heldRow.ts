import { isAppError } from '../domain/errors';
import type { Logger } from '../logger';
import type { JobState } from './jobProgress';
import type { OutboxRepository, RecipientChanges, RecipientStatus, StoredRecipient } from './outboxRepository';
import type { SenderDeps } from './senderOptions';

/**
 * A recipient row this sender has claimed, and every write to it: the
 * claim, renewing it, recording what happened, giving it back. Each is a Merge under
 * the row's ETag; a write that finds the row changed means this sender's
 * claim expired and another sender took the row over, and it is let go.
 */

/** Tries for writing an outcome: one that cannot be written leaves the row to be sent again once its claim expires. */
const RECORD_TRIES = 4;
/** The wait before the second try of an outcome, doubling after (200, 400, 800 ms): storage hiccups pass within a second or two. */
const RECORD_RETRY_BASE_MS = 200;

export interface Held {
  row: StoredRecipient;
  job: JobState;
  /** The status the row had when claimed, restored if it is given back unsent. */
  claimedFrom: RecipientStatus;
}

export type Change = Omit<RecipientChanges, 'updatedAt'>;

export interface HeldRowDeps {
  repository: OutboxRepository;
  now: SenderDeps['now'];
  log: Logger;
  /** Claims carry it. */
  instanceId: string;
  /** How long a claim holds a row, and the least left before a connector call (see SenderOptions). */
  claimMs: number;
  claimMarginMs: number;
}

export class HeldRows {
  constructor(private readonly deps: HeldRowDeps) {}

  /** Claims the candidates for this sender, in one transaction when no other sender raced for them; the rows won. */
  async claim(job: JobState, candidates: StoredRecipient[]): Promise<Held[]> {
    const at = this.deps.now();
    const claimExpiresAt = new Date(at.getTime() + this.deps.claimMs).toISOString();
    const results = await this.deps.repository.updateMany(
      candidates.map((row) => ({
        row,
        changes: {
          status: 'sending' as const,
          claimOwner: this.deps.instanceId,
          claimExpiresAt,
          // Taking over: a row still "sending" after its claim expired was held by a sender
          // that died, perhaps after the connector accepted the message but before the
          // outcome was written. Teams offers no way to ask whether that message arrived, so
          // the row is sent again: a duplicate prompt is better than a teacher never prompted.
          takeovers: row.record.status === 'sending' ? row.record.takeovers + 1 : row.record.takeovers,
          updatedAt: at.toISOString(),
        },
      })),
    );
    const held: Held[] = [];
    let takeovers = 0;
    results.forEach((row, index) => {
      if (!row) return;
      const claimedFrom = candidates[index]!.record.status;
      if (claimedFrom === 'sending') takeovers += 1;
      held.push({ row, job, claimedFrom });
    });
    if (takeovers > 0) {
      this.deps.log.info({ jobId: job.entry.jobId, takeovers }, 'outbox: took over rows whose sender died while holding them; they are sent again');
    }
    return held;
  }

  /** Milliseconds left of the row's claim. */
  claimLeft(held: Held): number {
    const expires = held.row.record.claimExpiresAt;
    return expires === undefined ? 0 : Date.parse(expires) - this.deps.now().getTime();
  }

  /** Renews the claim when less than its margin is left. False when the row was lost to another sender. */
  async renewClaim(held: Held): Promise<boolean> {
    if (this.claimLeft(held) >= this.deps.claimMarginMs) return true;
    return this.merge(held, { claimExpiresAt: new Date(this.deps.now().getTime() + this.deps.claimMs).toISOString() }, 1);
  }

  /**
   * Records an outcome or a step (the chat created, the message sent, a
   * failure), trying storage errors again a few times. False when the row
   * was lost to another sender.
   */
  record(held: Held, changes: Change): Promise<boolean> {
    return this.merge(held, changes, RECORD_TRIES);
  }

  /** Gives an unsent row back (the sender stops), so that another sender can take it at once. */
  async giveBack(held: Held): Promise<void> {
    const now = this.deps.now().toISOString();
    try {
      await this.merge(held, { status: held.claimedFrom === 'pending' ? 'pending' : 'retrying', claimExpiresAt: now, nextAttemptAt: now }, 1);
    } catch (error) {
      this.deps.log.warn({ err: error, jobId: held.row.record.jobId }, 'outbox: giving a row back failed; it is taken over when its claim expires');
    }
  }

  /** Merges changes into the held row under its ETag; false when the row changed (the claim was lost). */
  private async merge(held: Held, changes: Change, tries: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        held.row = await this.deps.repository.update(held.row, { ...changes, updatedAt: this.deps.now().toISOString() });
        return true;
      } catch (error) {
        if (isAppError(error, 'STALE')) {
          this.deps.log.warn({ jobId: held.row.record.jobId }, 'outbox: lost the claim on a row (another sender took it over after it expired)');
          return false;
        }
        if (attempt >= tries) throw error;
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_BASE_MS * 2 ** (attempt - 1)));
      }
    }
  }
}
