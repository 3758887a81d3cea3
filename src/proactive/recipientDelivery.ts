import type { Logger } from '../logger';
import { ConnectorError, type ConnectorPort } from './connector';
import type { Change, Held, HeldRows } from './heldRow';
import type { DeliveryTarget } from './outbox';
import type { PersonalConversationStore } from './outboxRepository';
import { GateClosedError, type RateGate } from './rateGate';
import { backoffMs, classifyFailure, RETRIES_EXHAUSTED } from './retryPolicy';
import type { SenderDeps, SenderOptions, UnreachableConversation } from './senderOptions';

/**
 * One recipient's delivery: find or create the person's 1:1 chat, send the
 * activity, and record the outcome the moment the connector answers: sent
 * (with the activity id), retrying (with the next attempt's time) or failed
 * (with its reason).
 *
 * - For a person without a known 1:1 chat it creates the chat, sends into
 *   it at once and records the chat with the outcome, in one write. A crash
 *   between creating and sending costs one more creation on the retry,
 *   which Teams answers with the same chat (nothing is sent twice); a
 *   failed send records the chat, so a retry never creates it again. The
 *   chat is reported to the PersonalConversationStore, which keeps it in
 *   batches (chatMemory.ts).
 * - Every connector call passes the rate gate (Teams' limits per tenant and
 *   per conversation, see rateLimiter.ts); a 429 pauses and slows the whole
 *   tenant.
 */

export interface RecipientDeliveryDeps {
  connector: ConnectorPort;
  conversations: PersonalConversationStore;
  onConversationUnreachable: ((event: UnreachableConversation) => void | Promise<void>) | undefined;
  rows: HeldRows;
  gate: RateGate;
  log: Logger;
  now: SenderDeps['now'];
  random: () => number;
  options: Pick<SenderOptions, 'maxRetries' | 'backoff' | 'throttleBackoff' | 'claimMarginMs'>;
}

type CallOutcome<T> = { kind: 'answer'; value: T } | { kind: 'failure'; error: unknown } | { kind: 'abandoned' };

export class RecipientDelivery {
  private readonly consecutiveThrottles = new Map<string, number>();

  constructor(private readonly deps: RecipientDeliveryDeps) {}

  async deliver(held: Held): Promise<void> {
    const { record } = held.row;
    const target = record.target;
    let into: string;
    /** Connector calls made before the send (creating the chat), counted in the row's attempts with it. */
    let before = 0;
    if (target.kind === 'conversation') into = target.conversationId;
    else if (record.conversationId !== undefined) into = record.conversationId;
    else {
      const chat = await this.personalChat(held, target);
      if (chat === undefined) return;
      into = chat.conversationId;
      before = chat.created ? 1 : 0;
    }

    const sent = await this.call(held, into, () =>
      this.deps.connector.send({ serviceUrl: target.serviceUrl, tenantId: target.tenantId, conversationId: into }, record.activity),
    );
    if (sent.kind === 'abandoned') return;
    if (sent.kind === 'failure') return this.recordFailure(held, sent.error, into, before + 1);

    // Recorded the moment the connector answers. Only a crash between the answer and this
    // write leaves the row "sending"; when its claim expires another sender takes it over
    // and sends it again. Teams offers no way to ask whether a message arrived, so that
    // resend may be a duplicate: a duplicate prompt is better than a teacher never prompted.
    const at = this.deps.now().toISOString();
    const recorded = await this.deps.rows.record(held, {
      status: 'sent',
      activityId: sent.value.activityId,
      sentAt: at,
      conversationId: into,
      attempts: held.row.record.attempts + before + 1,
    });
    if (recorded) this.deps.log.debug({ jobId: record.jobId, recipient: record.key, conversationId: into }, 'outbox: sent');
  }

  /** One connector call of a feature's own, through the same gate: it waits for a place, and a 429 slows the tenant. */
  async withinLimits<T>(tenantId: string, conversationId: string | undefined, request: () => Promise<T>): Promise<T> {
    const { gate } = this.deps;
    const ticket = await gate.acquire(tenantId, conversationId);
    try {
      const value = await request();
      gate.complete(ticket);
      return value;
    } catch (error) {
      gate.complete(ticket);
      if (error instanceof ConnectorError && error.status === 429) this.throttled(tenantId, conversationId, error.retryAfterMs);
      throw error;
    }
  }

  /**
   * The person's 1:1 chat: the one the store knows, or a new one (not yet
   * on the row: it is recorded with the send's outcome). Undefined when
   * creating it failed (recorded) or the row was given up.
   */
  private async personalChat(
    held: Held,
    target: Extract<DeliveryTarget, { kind: 'person' }>,
  ): Promise<{ conversationId: string; created: boolean } | undefined> {
    const known = await this.deps.conversations.find(target.tenantId, target.userId);
    if (known !== undefined) return { conversationId: known, created: false };
    const created = await this.call(held, undefined, () =>
      this.deps.connector.createPersonalConversation({
        serviceUrl: target.serviceUrl,
        tenantId: target.tenantId,
        userId: target.userId,
        botId: target.botId,
      }),
    );
    if (created.kind === 'abandoned') return undefined;
    if (created.kind === 'failure') {
      await this.recordFailure(held, created.error, undefined, 1);
      return undefined;
    }
    const { conversationId } = created.value;
    await this.rememberChat(held, conversationId);
    return { conversationId, created: true };
  }

  /** One connector call through the rate gate, keeping the row's claim alive around the wait. */
  private async call<T>(held: Held, conversationId: string | undefined, request: () => Promise<T>): Promise<CallOutcome<T>> {
    const { gate, rows } = this.deps;
    const tenantId = held.row.record.target.tenantId;
    for (;;) {
      if (!(await rows.renewClaim(held))) return { kind: 'abandoned' };
      let ticket;
      try {
        ticket = await gate.acquire(tenantId, conversationId);
      } catch (error) {
        if (!(error instanceof GateClosedError)) throw error;
        await rows.giveBack(held);
        return { kind: 'abandoned' };
      }
      if (rows.claimLeft(held) < this.deps.options.claimMarginMs) {
        // The wait for a place outlasted the claim's margin: renew it before calling.
        gate.cancel(ticket);
        continue;
      }
      try {
        const value = await request();
        gate.complete(ticket);
        this.consecutiveThrottles.delete(tenantId);
        return { kind: 'answer', value };
      } catch (error) {
        gate.complete(ticket);
        if (error instanceof ConnectorError && error.status === 429) this.throttled(tenantId, conversationId, error.retryAfterMs);
        return { kind: 'failure', error };
      }
    }
  }

  /** A 429: the whole tenant waits the Retry-After (or a growing backoff) and then goes slower. */
  private throttled(tenantId: string, conversationId: string | undefined, retryAfterMs: number | undefined): void {
    const count = (this.consecutiveThrottles.get(tenantId) ?? 0) + 1;
    this.consecutiveThrottles.set(tenantId, count);
    const pauseMs = retryAfterMs ?? backoffMs(count, this.deps.options.throttleBackoff, this.deps.random);
    this.deps.gate.throttle(tenantId, pauseMs, conversationId);
    this.deps.log.warn({ tenantId, pauseMs, retryAfter: retryAfterMs !== undefined }, 'outbox: throttled by Teams (429); the tenant pauses and slows down');
  }

  /**
   * Records a failed call: failed for good with its reason, or retrying
   * after a backoff until the retries run out. `calls` counts the connector
   * calls of this attempt (the failed one, and a chat created before it).
   */
  private async recordFailure(held: Held, error: unknown, conversationId: string | undefined, calls: number): Promise<void> {
    const { rows, log, options } = this.deps;
    const verdict = classifyFailure(error);
    const record = held.row.record;
    const common: Change = {
      attempts: record.attempts + calls,
      lastErrorCode: verdict.code,
      // 0 for a network error (no status): Merge cannot remove an earlier status.
      lastErrorStatus: verdict.status ?? 0,
      ...(conversationId !== undefined ? { conversationId } : {}),
    };
    const logged = { jobId: record.jobId, status: verdict.status, code: verdict.code };

    if (verdict.kind === 'permanent') {
      const recorded = await rows.record(held, { ...common, status: 'failed', failureReason: verdict.reason });
      if (!recorded) return;
      log.info({ ...logged, reason: verdict.reason }, 'outbox: recipient failed permanently; not retried');
      log.debug({ jobId: record.jobId, recipient: record.key, conversationId }, 'outbox: failed recipient');
      if (verdict.conversationGone && conversationId !== undefined && verdict.status !== undefined) {
        await this.reportUnreachable({
          tenantId: record.target.tenantId,
          conversationId,
          serviceUrl: record.target.serviceUrl,
          status: verdict.status,
          code: verdict.code,
          jobId: record.jobId,
        });
      }
      return;
    }

    const retries = record.retries + 1;
    if (retries > options.maxRetries) {
      await rows.record(held, { ...common, retries: record.retries, status: 'failed', failureReason: RETRIES_EXHAUSTED });
      log.info({ ...logged, retries: record.retries }, 'outbox: recipient failed after its last retry');
      return;
    }
    const delayMs = verdict.retryAfterMs ?? backoffMs(retries, verdict.throttled ? options.throttleBackoff : options.backoff, this.deps.random);
    const nextAttemptAt = this.deps.now().getTime() + delayMs;
    const recorded = await rows.record(held, { ...common, retries, status: 'retrying', nextAttemptAt: new Date(nextAttemptAt).toISOString() });
    if (recorded) {
      held.job.nextRetryAt = Math.min(held.job.nextRetryAt, nextAttemptAt);
      held.job.dryUntil = Math.min(held.job.dryUntil, nextAttemptAt);
      log.debug({ ...logged, retries, delayMs }, 'outbox: recipient will be retried');
    }
  }

  private async reportUnreachable(event: UnreachableConversation): Promise<void> {
    try {
      await this.deps.onConversationUnreachable?.(event);
    } catch (error) {
      this.deps.log.error({ err: error, jobId: event.jobId }, 'outbox: reporting an unreachable conversation failed');
    }
  }

  private async rememberChat(held: Held, conversationId: string): Promise<void> {
    const target = held.row.record.target;
    if (target.kind !== 'person') return;
    try {
      // Queued by the sender's ChatMemory and written in a batch: not awaited on the sending path.
      await this.deps.conversations.remember({
        tenantId: target.tenantId,
        userId: target.userId,
        ...(target.aadObjectId !== undefined ? { aadObjectId: target.aadObjectId } : {}),
        botId: target.botId,
        serviceUrl: target.serviceUrl,
        conversationId,
        createdAt: this.deps.now().toISOString(),
      });
    } catch (error) {
      // Not fatal: the send's outcome records the chat's id; a later job finds no chat and Teams returns this one again.
      this.deps.log.warn({ err: error, jobId: held.row.record.jobId }, 'outbox: remembering a created chat failed');
    }
  }
}
