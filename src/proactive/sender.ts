import { randomUUID } from 'node:crypto';
import { isAppError } from '../domain/errors';
import type { Logger } from '../logger';
import { ConnectorError, type ConnectorPort } from './connector';
import {
  type Clock,
  openCount,
  type OpenJobEntry,
  type OutboxRepository,
  type PersonalConversationStore,
  type DeliveryTarget,
  type ProgressHandler,
  readProgress,
  type RecipientChanges,
  type RecipientStatus,
  type StoredRecipient,
  type TenantLease,
} from './outbox';
import { GateClosedError, RateGate } from './rateGate';
import { RateLimiter, type RateWindow, TEAMS_CONVERSATION_WINDOWS, teamsRateLimits } from './rateLimiter';
import { backoffMs, type BackoffPolicy, classifyFailure, RETRIES_EXHAUSTED } from './retryPolicy';

/**
 * The sender drains the outbox. One runs in every instance of the bot; any
 * number may work on the same storage account.
 *
 * - It finds work through the open-jobs index and claims recipient rows with
 *   ETag-conditioned writes (status sending, its instance id, a claim
 *   expiry), many rows per transaction. A row only one writer can claim is
 *   sent by only one instance; a row whose claim expired is taken over.
 * - For a person without a known 1:1 chat it creates the chat, stores the
 *   chat's id on the row before sending (so a retry never creates it again)
 *   and reports it to the PersonalConversationStore.
 * - Every connector call passes the rate gate (Teams' limits per tenant and
 *   per conversation, see rateLimiter.ts); a 429 pauses and slows the whole
 *   tenant.
 * - The tenant's budget is per app, shared by every instance, so one
 *   instance at a time sends for a tenant: it holds the tenant's lease (an
 *   ETag-conditioned row with an expiry, renewed while it has work). The
 *   next holder starts once the previous holder's requests have left Teams'
 *   window. Other tenants can be served by other instances meanwhile.
 * - The outcome is written the moment the connector answers: sent (with the
 *   activity id), retrying (with the next attempt's time) or failed (with
 *   its reason). A row marked sent is never claimed again.
 * - Each job's progress goes to the handlers registered for its kind, at
 *   most once per progressIntervalMs per job and instance, and once when the
 *   job completes (by the instance that marks it done).
 *
 * Within a tenant at most `concurrency` rows are in progress at once; that
 * also bounds how many messages a crash can leave "in flight" (sent but not
 * recorded), and so the duplicates a crash can cause.
 */

export interface SenderOptions {
  /** Requests per second per tenant (Teams: 50 per app per tenant). */
  tenantRequestsPerSecond: number;
  /** Per conversation (Teams: 7/s, 8/2 s, 60/30 s, 1800/h). */
  conversationWindows: readonly RateWindow[];
  /** Retries after transient failures before a recipient fails with RetriesExhausted. */
  maxRetries: number;
  /** Waits between retries of a recipient when the service gave no Retry-After. */
  backoff: BackoffPolicy;
  /** How long a 429 without Retry-After pauses the tenant (growing with consecutive 429s). */
  throttleBackoff: BackoffPolicy;
  /** How long a claim holds a row. */
  claimMs: number;
  /** A claim with less than this left is renewed before a connector call; must exceed the connector's timeout plus a write. */
  claimMarginMs: number;
  /** Rows claimed per read (one transaction when no other sender raced for them). */
  claimBatchSize: number;
  /** Rows in progress at once per tenant. */
  concurrency: number;
  /** How often the open-jobs index is read, and a job without claimable rows looked at again. */
  pollIntervalMs: number;
  /** Progress is reported at most this often per job. */
  progressIntervalMs: number;
  /**
   * One instance at a time sends for a tenant (a lease in the outbox table),
   * so that instances side by side do not each spend the tenant's whole
   * budget. With false every instance sends for every tenant: then divide
   * tenantRequestsPerSecond by the number of instances.
   */
  exclusiveTenants: boolean;
  /** How long a tenant lease lasts; renewed at half-time while the instance has work for the tenant. */
  tenantLeaseMs: number;
}

export const DEFAULT_SENDER_OPTIONS: SenderOptions = {
  tenantRequestsPerSecond: 50,
  conversationWindows: TEAMS_CONVERSATION_WINDOWS,
  maxRetries: 8,
  backoff: { baseMs: 2_000, maxMs: 10 * 60_000 },
  throttleBackoff: { baseMs: 1_000, maxMs: 60_000 },
  claimMs: 60_000,
  claimMarginMs: 20_000,
  claimBatchSize: 50,
  concurrency: 16,
  pollIntervalMs: 2_000,
  progressIntervalMs: 1_000,
  exclusiveTenants: true,
  tenantLeaseMs: 30_000,
};

/** A 403 or 404 from a conversation: the bot can no longer reach it (blocked, uninstalled, deleted). */
export interface UnreachableConversation {
  tenantId: string;
  conversationId: string;
  serviceUrl: string;
  status: number;
  code: string;
  jobId: string;
}

export interface SenderDeps {
  repository: OutboxRepository;
  connector: ConnectorPort;
  conversations: PersonalConversationStore;
  logger: Logger;
  now: Clock;
  /** Unique per running process; claims carry it. Default: a random id. */
  instanceId?: string;
  /** E.g. to mark the conversation reference inactive. */
  onConversationUnreachable?: (event: UnreachableConversation) => void | Promise<void>;
  random?: () => number;
}

export interface OutboxSender {
  readonly instanceId: string;
  start(): void;
  /** Stops claiming, lets calls in flight finish and be recorded, and gives unstarted rows back. */
  stop(): Promise<void>;
  /** Looks for work at once (after an enqueue in this instance). */
  wake(): void;
  /** Registers a progress handler for a kind of job. */
  onProgress(kind: string, handler: ProgressHandler): void;
  /**
   * Makes one connector call outside the outbox (e.g. updating a status
   * card in place) within the same limits: it waits for a place in the
   * tenant's and the conversation's budget, and a 429 slows the tenant.
   */
  withinLimits<T>(tenantId: string, conversationId: string | undefined, request: () => Promise<T>): Promise<T>;
  /** Resolves once the open-jobs index is empty and this sender holds nothing (for tests and the benchmark). */
  idle(): Promise<void>;
}

interface JobState {
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

interface Held {
  row: StoredRecipient;
  job: JobState;
  /** The status the row had when claimed, restored if it is given back unsent. */
  claimedFrom: RecipientStatus;
}

interface Lane {
  queue: Held[];
  active: number;
}

/** A job without claimable rows is checked for completion at least every this many polls. */
const COMPLETION_CHECK_POLLS = 5;

type CallOutcome<T> = { kind: 'answer'; value: T } | { kind: 'failure'; error: unknown } | { kind: 'abandoned' };

export function createSender(deps: SenderDeps, options: Partial<SenderOptions> = {}): OutboxSender {
  return new Sender(deps, { ...DEFAULT_SENDER_OPTIONS, ...options });
}

class Sender implements OutboxSender {
  readonly instanceId: string;
  private readonly log: Logger;
  private readonly gate: RateGate;
  private readonly random: () => number;
  private readonly lanes = new Map<string, Lane>();
  private readonly jobs = new Map<string, JobState>();
  private readonly handlers = new Map<string, ProgressHandler[]>();
  private readonly inProgress = new Set<Promise<void>>();
  private readonly consecutiveThrottles = new Map<string, number>();
  private readonly leases = new Map<string, TenantLease>();
  private idleWaiters: (() => void)[] = [];
  private running = false;
  private refilling: Promise<void> | undefined;
  private listedAt = Number.NEGATIVE_INFINITY;
  private listRequested = true;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private rotation = 0;

  constructor(
    private readonly deps: SenderDeps,
    private readonly options: SenderOptions,
  ) {
    if (options.claimMarginMs >= options.claimMs) throw new Error('claimMarginMs must be shorter than claimMs');
    this.instanceId = deps.instanceId ?? randomUUID();
    this.log = deps.logger.child({ component: 'outbox-sender', instanceId: this.instanceId });
    this.random = deps.random ?? Math.random;
    const limiter = new RateLimiter(teamsRateLimits(options.tenantRequestsPerSecond, { conversation: options.conversationWindows }));
    this.gate = new RateGate(limiter, () => this.ms());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.gate.open();
    this.listRequested = true;
    this.pump();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    // Rows waiting for a place give up and are given back; calls in flight finish and are recorded.
    this.gate.close();
    await this.refilling;
    await Promise.all([...this.inProgress]);
    const queued = [...this.lanes.values()].flatMap((lane) => lane.queue.splice(0));
    await Promise.all(
      queued.map(async (held) => {
        await this.giveBack(held);
        held.job.held -= 1;
      }),
    );
    await Promise.all([...this.leases.values()].map((lease) => this.releaseLease(lease)));
    for (const job of this.jobs.values()) {
      if (job.reportTimer) clearTimeout(job.reportTimer);
      job.reportTimer = undefined;
    }
  }

  wake(): void {
    this.listRequested = true;
    this.pump();
  }

  onProgress(kind: string, handler: ProgressHandler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  async withinLimits<T>(tenantId: string, conversationId: string | undefined, request: () => Promise<T>): Promise<T> {
    const ticket = await this.gate.acquire(tenantId, conversationId);
    try {
      const value = await request();
      this.gate.complete(ticket);
      return value;
    } catch (error) {
      this.gate.complete(ticket);
      if (error instanceof ConnectorError && error.status === 429) this.throttled(tenantId, conversationId, error.retryAfterMs);
      throw error;
    }
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  private ms(): number {
    return this.deps.now().getTime();
  }

  private lane(tenantId: string): Lane {
    let lane = this.lanes.get(tenantId);
    if (!lane) {
      lane = { queue: [], active: 0 };
      this.lanes.set(tenantId, lane);
    }
    return lane;
  }

  /** Rows a tenant should have queued so that its `concurrency` slots never wait for a claim. */
  private get lowWater(): number {
    return Math.max(this.options.concurrency, Math.ceil(this.options.claimBatchSize / 2));
  }

  // ── the loop ────────────────────────────────────────────────────────────

  private pump(): void {
    if (!this.running) return;
    for (const lane of this.lanes.values()) {
      while (lane.active < this.options.concurrency && lane.queue.length > 0) this.begin(lane, lane.queue.shift()!);
    }
    if (this.refilling) return;
    const now = this.ms();
    const next = this.nextRefillAt(now);
    if (next <= now) {
      this.refilling = this.refill()
        .catch((error: unknown) => {
          this.log.error({ err: error }, 'outbox: looking for work failed');
          // Storage trouble: look again after a poll interval rather than at once.
          this.listedAt = this.ms();
          for (const job of this.jobs.values()) job.dryUntil = Math.max(job.dryUntil, this.listedAt + this.options.pollIntervalMs);
        })
        .finally(() => {
          this.refilling = undefined;
          this.pump();
        });
    } else {
      this.schedule(next);
    }
  }

  private nextRefillAt(now: number): number {
    if (this.listRequested) return now;
    let next = this.listedAt + this.options.pollIntervalMs;
    for (const job of this.jobs.values()) {
      if (this.lane(job.entry.tenantId).queue.length < this.lowWater) next = Math.min(next, job.dryUntil);
    }
    return next;
  }

  private schedule(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - this.ms()),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /** One pass: read the open-jobs index when due, then claim rows for every tenant short of work. */
  private async refill(): Promise<void> {
    if (this.listRequested || this.ms() >= this.listedAt + this.options.pollIntervalMs) {
      this.listRequested = false;
      const entries = await this.deps.repository.listOpenJobs();
      this.listedAt = this.ms();
      const listed = new Set(entries.map((entry) => entry.jobId));
      for (const entry of entries) {
        const job = this.jobs.get(entry.jobId);
        if (job) job.entry = entry;
        else
          this.jobs.set(entry.jobId, {
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
          });
      }
      for (const [jobId, job] of this.jobs) {
        if (!listed.has(jobId) && job.held === 0) this.forget(job);
      }
      // A fresh listing is also the moment to look at every job again.
      for (const job of this.jobs.values()) job.dryUntil = Math.min(job.dryUntil, this.listedAt);
      await this.keepLeases();
    }

    const jobs = [...this.jobs.values()];
    this.rotation = (this.rotation + 1) % Math.max(1, jobs.length);
    for (const job of [...jobs.slice(this.rotation), ...jobs.slice(0, this.rotation)]) {
      if (!this.running) return;
      const lane = this.lane(job.entry.tenantId);
      if (job.dryUntil > this.ms() || lane.queue.length >= this.lowWater) continue;
      if (!(await this.holdTenant(job.entry.tenantId))) {
        // Another instance sends for this tenant; look again when it may have let go.
        job.dryUntil = this.ms() + this.options.pollIntervalMs;
        continue;
      }
      const wanted = Math.max(1, this.options.claimBatchSize - lane.queue.length);
      const candidates = await this.deps.repository.findClaimable(job.entry.jobId, this.deps.now(), wanted);
      if (candidates.length === 0) {
        const now = this.ms();
        // Look again after a poll, or when a retry scheduled here falls due, whichever is sooner.
        if (job.nextRetryAt <= now) job.nextRetryAt = Number.POSITIVE_INFINITY;
        job.dryUntil = Math.min(now + this.options.pollIntervalMs, job.nextRetryAt);
        // Complete the job when its last rows finished here; otherwise (rows held by another
        // instance, or waiting for a retry) check only now and then.
        const due = job.finishedSinceCheck || this.ms() - job.checkedAt >= COMPLETION_CHECK_POLLS * this.options.pollIntervalMs;
        if (job.held === 0 && due) await this.tryComplete(job);
        continue;
      }
      const claimed = await this.claim(job, candidates);
      if (claimed.length === 0) {
        // Another sender won every row: look again shortly, not in lockstep with it.
        job.dryUntil = this.ms() + 20 + Math.round(this.random() * 80);
        continue;
      }
      job.held += claimed.length;
      lane.queue.push(...claimed);
      this.pump();
    }
    this.resolveIdle();
  }

  private async claim(job: JobState, candidates: StoredRecipient[]): Promise<Held[]> {
    const at = this.deps.now();
    const claimExpiresAt = new Date(at.getTime() + this.options.claimMs).toISOString();
    const results = await this.deps.repository.updateMany(
      candidates.map((row) => ({
        row,
        changes: {
          status: 'sending' as const,
          claimOwner: this.instanceId,
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
      this.log.info({ jobId: job.entry.jobId, takeovers }, 'outbox: took over rows whose sender died while holding them; they are sent again');
    }
    return held;
  }

  private begin(lane: Lane, held: Held): void {
    lane.active += 1;
    const work: Promise<void> = this.deliver(held)
      .catch((error: unknown) => {
        // The row keeps its claim until it expires; then a sender takes it over.
        this.log.error({ err: error, jobId: held.job.entry.jobId }, 'outbox: delivering a row failed unexpectedly');
      })
      .finally(() => {
        lane.active -= 1;
        this.inProgress.delete(work);
        const job = held.job;
        job.held -= 1;
        job.finishedSinceCheck = true;
        // The job's last row here: look at the job again at once (more rows, or completion).
        if (job.held === 0) job.dryUntil = Math.min(job.dryUntil, this.ms());
        this.noteProgress(job);
        this.pump();
      });
    this.inProgress.add(work);
  }

  // ── one recipient ───────────────────────────────────────────────────────

  private async deliver(held: Held): Promise<void> {
    const { record } = held.row;
    const target = record.target;
    const into =
      target.kind === 'conversation' ? target.conversationId : (record.conversationId ?? (await this.personalChat(held, target)));
    if (into === undefined) return;

    const sent = await this.call(held, into, () =>
      this.deps.connector.send({ serviceUrl: target.serviceUrl, tenantId: target.tenantId, conversationId: into }, record.activity),
    );
    if (sent.kind === 'abandoned') return;
    if (sent.kind === 'failure') return this.recordFailure(held, sent.error, into);

    // Recorded the moment the connector answers. Only a crash between the answer and this
    // write leaves the row "sending"; when its claim expires another sender takes it over
    // and sends it again. Teams offers no way to ask whether a message arrived, so that
    // resend may be a duplicate: a duplicate prompt is better than a teacher never prompted.
    const at = this.deps.now().toISOString();
    const recorded = await this.write(
      held,
      { status: 'sent', activityId: sent.value.activityId, sentAt: at, conversationId: into, attempts: held.row.record.attempts + 1 },
      true,
    );
    if (recorded) this.log.debug({ jobId: record.jobId, recipient: record.key, conversationId: into }, 'outbox: sent');
  }

  /**
   * The person's 1:1 chat: the one the store knows, or a new one. Undefined
   * when creating it failed (recorded) or the row was given up.
   */
  private async personalChat(held: Held, target: Extract<DeliveryTarget, { kind: 'person' }>): Promise<string | undefined> {
    const known = await this.deps.conversations.find(target.tenantId, target.userId);
    if (known !== undefined) return known;
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
      await this.recordFailure(held, created.error, undefined);
      return undefined;
    }
    const { conversationId } = created.value;
    // The chat's id goes on the row before anything is sent into it: whatever happens next
    // (a failed send, a crash), the next attempt sends into this chat instead of creating
    // it again.
    const [kept] = await Promise.all([
      this.write(held, { conversationId, attempts: held.row.record.attempts + 1 }, true),
      this.rememberChat(held, conversationId),
    ]);
    return kept ? conversationId : undefined;
  }

  /** One connector call through the rate gate, keeping the row's claim alive around the wait. */
  private async call<T>(held: Held, conversationId: string | undefined, request: () => Promise<T>): Promise<CallOutcome<T>> {
    const tenantId = held.row.record.target.tenantId;
    for (;;) {
      if (!(await this.keepClaim(held))) return { kind: 'abandoned' };
      let ticket;
      try {
        ticket = await this.gate.acquire(tenantId, conversationId);
      } catch (error) {
        if (!(error instanceof GateClosedError)) throw error;
        await this.giveBack(held);
        return { kind: 'abandoned' };
      }
      if (this.claimLeft(held) < this.options.claimMarginMs) {
        // The wait for a place outlasted the claim's margin: renew it before calling.
        this.gate.cancel(ticket);
        continue;
      }
      try {
        const value = await request();
        this.gate.complete(ticket);
        this.consecutiveThrottles.delete(tenantId);
        return { kind: 'answer', value };
      } catch (error) {
        this.gate.complete(ticket);
        if (error instanceof ConnectorError && error.status === 429) this.throttled(tenantId, conversationId, error.retryAfterMs);
        return { kind: 'failure', error };
      }
    }
  }

  /** A 429: the whole tenant waits the Retry-After (or a growing backoff) and then goes slower. */
  private throttled(tenantId: string, conversationId: string | undefined, retryAfterMs: number | undefined): void {
    const count = (this.consecutiveThrottles.get(tenantId) ?? 0) + 1;
    this.consecutiveThrottles.set(tenantId, count);
    const pauseMs = retryAfterMs ?? backoffMs(count, this.options.throttleBackoff, this.random);
    this.gate.throttle(tenantId, pauseMs, conversationId);
    this.log.warn({ tenantId, pauseMs, retryAfter: retryAfterMs !== undefined }, 'outbox: throttled by Teams (429); the tenant pauses and slows down');
  }

  private async recordFailure(held: Held, error: unknown, conversationId: string | undefined): Promise<void> {
    const verdict = classifyFailure(error);
    const record = held.row.record;
    const common: Omit<RecipientChanges, 'updatedAt'> = {
      attempts: record.attempts + 1,
      lastErrorCode: verdict.code,
      // 0 for a network error (no status): Merge cannot remove an earlier status.
      lastErrorStatus: verdict.status ?? 0,
      ...(conversationId !== undefined ? { conversationId } : {}),
    };
    const logged = { jobId: record.jobId, status: verdict.status, code: verdict.code };

    if (verdict.kind === 'permanent') {
      const recorded = await this.write(held, { ...common, status: 'failed', failureReason: verdict.reason }, true);
      if (!recorded) return;
      this.log.info({ ...logged, reason: verdict.reason }, 'outbox: recipient failed permanently; not retried');
      this.log.debug({ jobId: record.jobId, recipient: record.key, conversationId }, 'outbox: failed recipient');
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
    if (retries > this.options.maxRetries) {
      await this.write(held, { ...common, retries: record.retries, status: 'failed', failureReason: RETRIES_EXHAUSTED }, true);
      this.log.info({ ...logged, retries: record.retries }, 'outbox: recipient failed after its last retry');
      return;
    }
    const delayMs = verdict.retryAfterMs ?? backoffMs(retries, verdict.throttled ? this.options.throttleBackoff : this.options.backoff, this.random);
    const nextAttemptAt = this.ms() + delayMs;
    const recorded = await this.write(held, { ...common, retries, status: 'retrying', nextAttemptAt: new Date(nextAttemptAt).toISOString() }, true);
    if (recorded) {
      held.job.nextRetryAt = Math.min(held.job.nextRetryAt, nextAttemptAt);
      held.job.dryUntil = Math.min(held.job.dryUntil, nextAttemptAt);
      this.log.debug({ ...logged, retries, delayMs }, 'outbox: recipient will be retried');
    }
  }

  private async reportUnreachable(event: UnreachableConversation): Promise<void> {
    try {
      await this.deps.onConversationUnreachable?.(event);
    } catch (error) {
      this.log.error({ err: error, jobId: event.jobId }, 'outbox: reporting an unreachable conversation failed');
    }
  }

  private async rememberChat(held: Held, conversationId: string): Promise<void> {
    const target = held.row.record.target;
    if (target.kind !== 'person') return;
    try {
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
      // Not fatal: the row has the chat's id; a later job finds no chat and Teams returns this one again.
      this.log.warn({ err: error, jobId: held.row.record.jobId }, 'outbox: remembering a created chat failed');
    }
  }

  // ── the row's claim ─────────────────────────────────────────────────────

  private claimLeft(held: Held): number {
    const expires = held.row.record.claimExpiresAt;
    return expires === undefined ? 0 : Date.parse(expires) - this.ms();
  }

  private async keepClaim(held: Held): Promise<boolean> {
    if (this.claimLeft(held) >= this.options.claimMarginMs) return true;
    return this.write(held, { claimExpiresAt: new Date(this.ms() + this.options.claimMs).toISOString() }, false);
  }

  /**
   * Merges changes into the held row under its ETag. False when the row
   * changed: this sender's claim expired and another took the row over.
   * `persistent` retries storage errors a few times: an outcome that cannot
   * be written leaves the row to be sent again after its claim expires.
   */
  private async write(held: Held, changes: Omit<RecipientChanges, 'updatedAt'>, persistent: boolean): Promise<boolean> {
    const tries = persistent ? 4 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        held.row = await this.deps.repository.update(held.row, { ...changes, updatedAt: this.deps.now().toISOString() });
        return true;
      } catch (error) {
        if (isAppError(error, 'STALE')) {
          this.log.warn({ jobId: held.row.record.jobId }, 'outbox: lost the claim on a row (another sender took it over after it expired)');
          return false;
        }
        if (attempt >= tries) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  /** Gives an unsent row back (the sender stops), so that another sender can take it at once. */
  private async giveBack(held: Held): Promise<void> {
    const now = this.deps.now().toISOString();
    try {
      await this.write(held, { status: held.claimedFrom === 'pending' ? 'pending' : 'retrying', claimExpiresAt: now, nextAttemptAt: now }, false);
    } catch (error) {
      this.log.warn({ err: error, jobId: held.row.record.jobId }, 'outbox: giving a row back failed; it is taken over when its claim expires');
    }
  }

  // ── tenant leases ───────────────────────────────────────────────────────

  /** True while this instance holds (or has just taken or renewed) the tenant's lease. */
  private async holdTenant(tenantId: string): Promise<boolean> {
    if (!this.options.exclusiveTenants) return true;
    const held = this.leases.get(tenantId);
    const now = this.ms();
    if (held && Date.parse(held.expiresAt) - now > this.options.tenantLeaseMs / 2) return true;
    const lease = await this.deps.repository.takeTenantLease(tenantId, this.instanceId, new Date(now + this.options.tenantLeaseMs), new Date(now));
    if (lease) {
      if (!held) this.log.info({ tenantId }, 'outbox: sending for the tenant');
      // The instance that held the tenant before may have sent until then: its requests
      // still count in Teams' window, so this one starts after they have left it.
      if (lease.previousHolderUntil !== undefined) this.gate.others(tenantId, Date.parse(lease.previousHolderUntil));
      this.leases.set(tenantId, lease);
      return true;
    }
    if (held) this.log.warn({ tenantId }, 'outbox: another instance took over the tenant');
    this.leases.delete(tenantId);
    return false;
  }

  /** Renews the leases of tenants this instance still has work for, and gives the others up. */
  private async keepLeases(): Promise<void> {
    for (const [tenantId, lease] of this.leases) {
      const lane = this.lanes.get(tenantId);
      const busy = (lane !== undefined && (lane.queue.length > 0 || lane.active > 0)) || [...this.jobs.values()].some((job) => job.entry.tenantId === tenantId);
      if (busy) await this.holdTenant(tenantId);
      else await this.releaseLease(lease);
    }
  }

  private async releaseLease(lease: TenantLease): Promise<void> {
    this.leases.delete(lease.tenantId);
    try {
      await this.deps.repository.releaseTenantLease(lease, this.deps.now());
    } catch (error) {
      this.log.warn({ err: error, tenantId: lease.tenantId }, 'outbox: giving up a tenant lease failed; it expires on its own');
    }
  }

  // ── jobs ────────────────────────────────────────────────────────────────

  /** Marks the job done when no row is open, reports it and leaves the open-jobs index. */
  private async tryComplete(job: JobState): Promise<void> {
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
        this.log.info(
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

  private forget(job: JobState): void {
    if (job.reportTimer) clearTimeout(job.reportTimer);
    this.jobs.delete(job.entry.jobId);
  }

  /** Reports the job's progress now, or when its interval has passed since the last report. */
  private noteProgress(job: JobState): void {
    job.changed = true;
    this.scheduleReport(job);
  }

  private scheduleReport(job: JobState): void {
    if (!job.changed || !this.handlers.has(job.entry.kind) || job.finished || job.reportTimer || job.reporting || !this.jobs.has(job.entry.jobId)) return;
    const wait = Math.max(0, job.lastReportAt + this.options.progressIntervalMs - this.ms());
    job.reportTimer = setTimeout(() => {
      job.reportTimer = undefined;
      if (this.running && !job.finished) void this.report(job);
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
            this.log.error({ err: error, jobId: job.entry.jobId }, 'outbox: a progress handler failed');
          }
        }
      } catch (error) {
        this.log.warn({ err: error, jobId: job.entry.jobId }, 'outbox: reading progress failed');
      }
    })();
    job.reporting = reporting.finally(() => {
      job.reporting = undefined;
      // Rows finished while this report ran: the next report after the interval.
      if (!final) this.scheduleReport(job);
    });
    return job.reporting;
  }

  private resolveIdle(): void {
    if (this.idleWaiters.length === 0 || this.listRequested || this.jobs.size > 0) return;
    for (const lane of this.lanes.values()) if (lane.queue.length > 0 || lane.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
