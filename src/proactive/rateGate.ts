import { type RateLimiter, type Ticket } from './rateLimiter';

interface Waiter {
  conversationId: string | undefined;
  resolve: (ticket: Ticket) => void;
  reject: (error: Error) => void;
}

/**
 * How far behind its schedule a tenant's pacing may fall before the missed
 * places are forgotten: timers fire a few milliseconds late, and at high
 * rates (a spacing of 1 ms) the places a late timer missed are caught up
 * rather than lost. At Teams' 50 a second (20 ms apart) it allows two
 * back to back, no more.
 */
const PACE_SLACK_MS = 10;

/** Thrown to waiters when the gate closes (the sender stops). */
export class GateClosedError extends Error {
  constructor() {
    super('The rate gate was closed while waiting');
    this.name = 'GateClosedError';
  }
}

/**
 * The rate limiter as promises: `acquire` resolves when a request may start.
 * Waiters of one tenant are served first come, first served, except that a
 * waiter held back only by its own conversation's limit lets the ones
 * behind it pass. One timer wakes the gate at the earliest moment a waiter
 * could go; completions wake it too.
 *
 * The gate also paces each tenant: requests start evenly spaced within the
 * tenant's budget (20 ms apart at 50 a second), never in bursts of a whole
 * window when it frees. What is in flight at any instant then stays near
 * rate × latency, which is also what a crash can leave sent but not
 * recorded. A late timer is caught up by a few places (PACE_SLACK_MS), so
 * the average rate is kept.
 *
 * `clock` must advance with real time (setTimeout does the waiting); tests
 * that move time use a clock shifted from the real one.
 */
export class RateGate {
  private readonly waiting = new Map<string, Waiter[]>();
  /** Per tenant: the next request starts no earlier. */
  private readonly nextStartAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(
    readonly limiter: RateLimiter,
    private readonly clock: () => number,
  ) {}

  acquire(tenantId: string, conversationId?: string): Promise<Ticket> {
    if (this.closed) return Promise.reject(new GateClosedError());
    const now = this.clock();
    const direct = this.waiting.has(tenantId) || now < this.paceAt(tenantId) ? undefined : this.limiter.tryAcquire(now, tenantId, conversationId);
    if (direct?.ok) {
      this.started(tenantId, now);
      return Promise.resolve(direct.ticket);
    }
    return new Promise<Ticket>((resolve, reject) => {
      const queue = this.waiting.get(tenantId) ?? [];
      queue.push({ conversationId, resolve, reject });
      this.waiting.set(tenantId, queue);
      this.pump();
    });
  }

  /** The request's answer arrived. */
  complete(ticket: Ticket): void {
    this.limiter.complete(ticket, this.clock());
    this.pump();
  }

  /** The request was not made after all. */
  cancel(ticket: Ticket): void {
    this.limiter.cancel(ticket);
    this.pump();
  }

  /** A 429: see RateLimiter.throttle. */
  throttle(tenantId: string, pauseMs: number, conversationId?: string): void {
    this.limiter.throttle(this.clock(), tenantId, pauseMs, conversationId);
    this.pump();
  }

  /** See RateLimiter.others. */
  others(tenantId: string, lastRequestAt: number): void {
    this.limiter.others(tenantId, lastRequestAt);
    this.pump();
  }

  /** Requests waiting for a place, over all tenants. */
  get waiters(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.length;
    return count;
  }

  private pump(): void {
    const now = this.clock();
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const [tenantId, queue] of this.waiting) {
      for (let index = 0; index < queue.length;) {
        const paceAt = this.paceAt(tenantId);
        if (now < paceAt) {
          wakeAt = Math.min(wakeAt, paceAt);
          break;
        }
        const waiter = queue[index]!;
        const result = this.limiter.tryAcquire(now, tenantId, waiter.conversationId);
        if (result.ok) {
          queue.splice(index, 1);
          this.started(tenantId, now);
          waiter.resolve(result.ticket);
          continue;
        }
        if (result.retryAt !== undefined) wakeAt = Math.min(wakeAt, result.retryAt);
        if (result.scope === 'tenant') break;
        index += 1;
      }
      if (queue.length === 0) this.waiting.delete(tenantId);
    }
    this.schedule(wakeAt, now);
  }

  private paceAt(tenantId: string): number {
    return this.nextStartAt.get(tenantId) ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * A request of the tenant started at `now`: the next one waits one
   * spacing, counted from the schedule rather than from a late timer, which
   * is caught up by at most PACE_SLACK_MS (or one spacing, if longer).
   */
  private started(tenantId: string, now: number): void {
    const spacing = this.spacingMs(tenantId, now);
    this.nextStartAt.set(tenantId, Math.max(this.paceAt(tenantId), now - Math.max(spacing, PACE_SLACK_MS)) + spacing);
  }

  /** The even spacing of the tenant's budget: its tightest window's length over the places it has at the current share. */
  private spacingMs(tenantId: string, now: number): number {
    const { tenant, marginMs } = this.limiter.limits;
    const share = this.limiter.tenantShare(tenantId, now);
    return Math.max(0, ...tenant.map((window) => (window.ms + marginMs) / Math.max(1, Math.floor(window.limit * share))));
  }

  private schedule(wakeAt: number, now: number): void {
    if (wakeAt === Number.POSITIVE_INFINITY) return;
    if (this.timer && this.timerAt <= wakeAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = wakeAt;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, Math.ceil(wakeAt - now)),
    );
  }

  /** Rejects every waiter, and every later acquire until `open`, with GateClosedError. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const waiters = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(new GateClosedError());
  }

  open(): void {
    this.closed = false;
  }
}
