import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { ChatMemory } from './chatMemory';
import { type Held, HeldRows } from './heldRow';
import { OpenJobs } from './jobProgress';
import type { ProgressHandler } from './outbox';
import { RateGate } from './rateGate';
import { RateLimiter, teamsRateLimits } from './rateLimiter';
import { RecipientDelivery } from './recipientDelivery';
import { DEFAULT_SENDER_OPTIONS, type OutboxSender, type SenderDeps, type SenderOptions } from './senderOptions';
import { TenantLeases } from './tenantLeases';

export { DEFAULT_SENDER_OPTIONS, type OutboxSender, type SenderDeps, type SenderOptions, type UnreachableConversation } from './senderOptions';

/**
 * The sender drains the outbox. One runs in every instance of the bot; any
 * number may work on the same storage account. This module is its loop;
 * the rest is beside it:
 *
 * - It finds work through the open-jobs index (jobProgress.ts) and claims
 *   recipient rows with ETag-conditioned writes (status sending, its
 *   instance id, a claim expiry), many rows per transaction (heldRow.ts,
 *   with every later write to a claimed row). A row only one writer can
 *   claim is sent by only one instance; a row whose claim expired is taken
 *   over.
 * - Each claimed row is delivered by recipientDelivery.ts: the chat created
 *   when needed, the message sent through the rate gate, the outcome
 *   written the moment the connector answers. A row marked sent is never
 *   claimed again.
 * - One instance at a time sends for a tenant (tenantLeases.ts).
 * - Each job's progress goes to the handlers registered for its kind
 *   (jobProgress.ts).
 *
 * Within a tenant at most `concurrency` rows are in progress at once. What
 * a crash can leave "in flight" (sent but not recorded), and so duplicate,
 * is set by the rate gate's even pacing (crashDuplicateBound in
 * senderOptions.ts), and `concurrency` caps it when storage is slow.
 */

/** A job without claimable rows is checked for completion at least every this many polls. */
const COMPLETION_CHECK_POLLS = 5;
/** After losing every row of a claim to another sender, look again this soon… */
const LOST_RACE_WAIT_MS = 20;
/** …plus up to this much at random, so that two senders do not race in lockstep. */
const LOST_RACE_JITTER_MS = 80;

interface Lane {
  queue: Held[];
  active: number;
}

export function createSender(deps: SenderDeps, options: Partial<SenderOptions> = {}): OutboxSender {
  return new Sender(deps, { ...DEFAULT_SENDER_OPTIONS, ...options });
}

class Sender implements OutboxSender {
  readonly instanceId: string;
  private readonly log: Logger;
  private readonly gate: RateGate;
  private readonly random: () => number;
  private readonly rows: HeldRows;
  private readonly jobs: OpenJobs;
  private readonly leases: TenantLeases;
  private readonly delivery: RecipientDelivery;
  private readonly chats: ChatMemory;
  private readonly lanes = new Map<string, Lane>();
  private readonly inProgress = new Set<Promise<void>>();
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
    const log = deps.logger.child({ component: 'outbox-sender', instanceId: this.instanceId });
    this.log = log;
    this.random = deps.random ?? Math.random;
    const limiter = new RateLimiter(teamsRateLimits(options.tenantRequestsPerSecond, { conversation: options.conversationWindows }));
    this.gate = new RateGate(limiter, () => this.ms());
    const { repository, now } = deps;
    this.rows = new HeldRows({ repository, now, log, instanceId: this.instanceId, claimMs: options.claimMs, claimMarginMs: options.claimMarginMs });
    this.jobs = new OpenJobs({ repository, now, log, progressIntervalMs: options.progressIntervalMs, running: () => this.running });
    this.leases = new TenantLeases({
      repository: deps.leases,
      gate: this.gate,
      log,
      now,
      instanceId: this.instanceId,
      exclusiveTenants: options.exclusiveTenants,
      tenantLeaseMs: options.tenantLeaseMs,
    });
    this.chats = new ChatMemory(deps.conversations, log);
    this.delivery = new RecipientDelivery({
      connector: deps.connector,
      conversations: this.chats,
      onConversationUnreachable: deps.onConversationUnreachable,
      rows: this.rows,
      gate: this.gate,
      log,
      now,
      random: this.random,
      options,
    });
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
        await this.rows.giveBack(held);
        held.job.held -= 1;
      }),
    );
    await this.chats.flush();
    await this.leases.releaseAll();
    this.jobs.stopReports();
  }

  wake(): void {
    this.listRequested = true;
    this.pump();
  }

  onProgress(kind: string, handler: ProgressHandler): void {
    this.jobs.onProgress(kind, handler);
  }

  withinLimits<T>(tenantId: string, conversationId: string | undefined, request: () => Promise<T>): Promise<T> {
    return this.delivery.withinLimits(tenantId, conversationId, request);
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
          for (const job of this.jobs.all()) job.dryUntil = Math.max(job.dryUntil, this.listedAt + this.options.pollIntervalMs);
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
    for (const job of this.jobs.all()) {
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
      this.jobs.track(entries);
      // A fresh listing is also the moment to look at every job again.
      for (const job of this.jobs.all()) job.dryUntil = Math.min(job.dryUntil, this.listedAt);
      await this.leases.keep((tenantId) => this.busy(tenantId));
    }

    const jobs = this.jobs.all();
    this.rotation = (this.rotation + 1) % Math.max(1, jobs.length);
    for (const job of [...jobs.slice(this.rotation), ...jobs.slice(0, this.rotation)]) {
      if (!this.running) return;
      const lane = this.lane(job.entry.tenantId);
      if (job.dryUntil > this.ms() || lane.queue.length >= this.lowWater) continue;
      if (!(await this.leases.hold(job.entry.tenantId))) {
        // Another instance sends for this tenant; look again when it may have let go.
        job.dryUntil = this.ms() + this.options.pollIntervalMs;
        continue;
      }
      const wanted = Math.max(1, this.options.claimBatchSize - lane.queue.length);
      const candidates = await this.deps.repository.findClaimable(job.entry.jobId, this.deps.now(), wanted, this.instanceId);
      if (candidates.length === 0) {
        const now = this.ms();
        // Look again after a poll, or when a retry scheduled here falls due, whichever is sooner.
        if (job.nextRetryAt <= now) job.nextRetryAt = Number.POSITIVE_INFINITY;
        job.dryUntil = Math.min(now + this.options.pollIntervalMs, job.nextRetryAt);
        // Complete the job when its last rows finished here; otherwise (rows held by another
        // instance, or waiting for a retry) check only now and then.
        const due = job.finishedSinceCheck || this.ms() - job.checkedAt >= COMPLETION_CHECK_POLLS * this.options.pollIntervalMs;
        if (job.held === 0 && due) await this.jobs.tryComplete(job);
        continue;
      }
      const claimed = await this.rows.claim(job, candidates);
      if (claimed.length === 0) {
        // Another sender won every row: look again shortly, not in lockstep with it.
        job.dryUntil = this.ms() + LOST_RACE_WAIT_MS + Math.round(this.random() * LOST_RACE_JITTER_MS);
        continue;
      }
      job.held += claimed.length;
      lane.queue.push(...claimed);
      this.pump();
    }
    this.resolveIdle();
  }

  /** Whether this instance still has work for the tenant: rows queued or in progress, or an open job. */
  private busy(tenantId: string): boolean {
    const lane = this.lanes.get(tenantId);
    return (lane !== undefined && (lane.queue.length > 0 || lane.active > 0)) || this.jobs.hasTenant(tenantId);
  }

  private begin(lane: Lane, held: Held): void {
    lane.active += 1;
    const work: Promise<void> = this.delivery
      .deliver(held)
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
        this.jobs.noteProgress(job);
        this.pump();
      });
    this.inProgress.add(work);
  }

  private resolveIdle(): void {
    if (this.idleWaiters.length === 0 || this.listRequested || this.jobs.size > 0) return;
    for (const lane of this.lanes.values()) if (lane.queue.length > 0 || lane.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
