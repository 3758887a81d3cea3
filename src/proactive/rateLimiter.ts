/**
 * Teams' rate limits for bots, kept on this side so that the Bot Connector
 * rarely has to answer 429 (Learn, "Optimize your bot with rate limiting in
 * Teams"):
 *
 * - per bot per conversation (a 1:1 chat, group chat or channel thread):
 *   7 operations a second, 8 in 2 seconds, 60 in 30 seconds, 1800 an hour;
 * - per app per tenant, across all conversations and conversation
 *   creation: 50 requests a second.
 *
 * Each limit is a sliding window ("at most `limit` requests in any `ms`
 * milliseconds"), checked against a log of the requests made. A request is
 * counted at the moment its answer arrived, not when it was started: the
 * service counts it somewhere in between, so counting it late means the
 * service never sees more than the limit in any window, whatever the
 * latency. A request still in flight counts as inside every window.
 *
 * After a 429 the whole tenant pauses for the Retry-After and then runs at
 * a reduced share of its limit (halved at each 429), which grows back
 * linearly to the full limit.
 *
 * Pure and synchronous over an injected time in milliseconds; RateGate
 * turns it into promises and timers.
 */

/** At most `limit` requests in any `ms` milliseconds. */
export interface RateWindow {
  limit: number;
  ms: number;
}

export interface RateLimits {
  /** Per app per tenant: every request (sends, updates, conversation creation). */
  tenant: readonly RateWindow[];
  /** Per conversation: sends and updates into it. */
  conversation: readonly RateWindow[];
  /** Added to every window's length, for the clocks' millisecond rounding. */
  marginMs: number;
  /** The full limit is regained this long after a 429's pause ends, growing linearly. */
  recoveryMs: number;
  /** The tenant's share of its limit never drops below this after 429s. */
  minShare: number;
}

/** Learn, "Rate limiting for bots": per bot per thread. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
];

/** Teams' limits with the tenant's budget per second (Teams: 50). */
export function teamsRateLimits(tenantRequestsPerSecond = 50, overrides: Partial<RateLimits> = {}): RateLimits {
  return {
    tenant: [{ limit: tenantRequestsPerSecond, ms: 1_000 }],
    conversation: TEAMS_CONVERSATION_WINDOWS,
    marginMs: 5,
    recoveryMs: 10_000,
    minShare: 0.1,
    ...overrides,
  };
}

interface Entry {
  start: number;
  /** When the answer arrived; undefined while the request is in flight. */
  end: number | undefined;
}

/** A granted request. Settle it with `complete` (or `cancel` if it was never made). */
export interface Ticket {
  readonly tenantId: string;
  readonly conversationId: string | undefined;
  readonly tenantEntry: Entry;
  readonly conversationEntry: Entry | undefined;
}

export type Acquisition =
  | { ok: true; ticket: Ticket }
  | {
      ok: false;
      /** Which limit said no: a tenant-wide one stops every request of the tenant, a conversation's only its own. */
      scope: 'tenant' | 'conversation';
      /** When to ask again; undefined: not before a request in flight completes. */
      retryAt: number | undefined;
    };

type Check = { ok: true } | { ok: false; retryAt: number | undefined };

class RequestLog {
  entries: Entry[] = [];

  check(now: number, windows: readonly RateWindow[], marginMs: number, share: number): Check {
    let retryAt: number | undefined = now;
    let blocked = false;
    for (const window of windows) {
      const limit = Math.max(1, Math.floor(window.limit * share));
      const span = window.ms + marginMs;
      const inside = this.entries.filter((entry) => entry.end === undefined || entry.end + span > now);
      if (inside.length < limit) continue;
      blocked = true;
      // The window frees a place when enough of the finished requests leave it.
      const mustLeave = inside.length - limit + 1;
      const ends = inside.flatMap((entry) => (entry.end === undefined ? [] : [entry.end])).sort((a, b) => a - b);
      const end = ends[mustLeave - 1];
      if (end === undefined) {
        retryAt = undefined;
      } else if (retryAt !== undefined) {
        retryAt = Math.max(retryAt, end + span);
      }
    }
    return blocked ? { ok: false, retryAt } : { ok: true };
  }

  add(now: number): Entry {
    const entry: Entry = { start: now, end: undefined };
    this.entries.push(entry);
    return entry;
  }

  remove(entry: Entry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
  }

  /** Drops finished requests older than the longest window; true when nothing is left. */
  prune(now: number, longestMs: number): boolean {
    if (this.entries.some((entry) => entry.end !== undefined && entry.end + longestMs <= now)) {
      this.entries = this.entries.filter((entry) => entry.end === undefined || entry.end + longestMs > now);
    }
    return this.entries.length === 0;
  }
}

interface TenantState {
  log: RequestLog;
  /** No request of the tenant starts before this (a 429's Retry-After). */
  pausedUntil: number;
  /** The share of the limit right after the last 429. */
  share: number;
  /** When the share starts growing back (the end of that 429's pause). */
  recoveringFrom: number;
}

interface ConversationState {
  log: RequestLog;
  pausedUntil: number;
}

export class RateLimiter {
  private readonly tenants = new Map<string, TenantState>();
  private readonly conversations = new Map<string, ConversationState>();
  private readonly longestTenantMs: number;
  private readonly longestConversationMs: number;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(readonly limits: RateLimits) {
    this.longestTenantMs = Math.max(0, ...limits.tenant.map((w) => w.ms)) + limits.marginMs;
    this.longestConversationMs = Math.max(0, ...limits.conversation.map((w) => w.ms)) + limits.marginMs;
  }

  /** Takes a place for one request starting at `now`, or says when to ask again. */
  tryAcquire(now: number, tenantId: string, conversationId?: string): Acquisition {
    this.sweep(now);
    const tenant = this.tenant(tenantId);
    if (now < tenant.pausedUntil) return { ok: false, scope: 'tenant', retryAt: tenant.pausedUntil };
    const tenantCheck = tenant.log.check(now, this.limits.tenant, this.limits.marginMs, this.share(tenant, now));
    if (!tenantCheck.ok) return { ok: false, scope: 'tenant', retryAt: tenantCheck.retryAt };

    let conversation: ConversationState | undefined;
    if (conversationId !== undefined) {
      conversation = this.conversation(tenantId, conversationId);
      if (now < conversation.pausedUntil) return { ok: false, scope: 'conversation', retryAt: conversation.pausedUntil };
      const check = conversation.log.check(now, this.limits.conversation, this.limits.marginMs, 1);
      if (!check.ok) return { ok: false, scope: 'conversation', retryAt: check.retryAt };
    }
    return {
      ok: true,
      ticket: { tenantId, conversationId, tenantEntry: tenant.log.add(now), conversationEntry: conversation?.log.add(now) },
    };
  }

  /** The request's answer arrived at `now` (success or failure: the service counted it either way). */
  complete(ticket: Ticket, now: number): void {
    ticket.tenantEntry.end = Math.max(ticket.tenantEntry.start, now);
    if (ticket.conversationEntry) ticket.conversationEntry.end = Math.max(ticket.conversationEntry.start, now);
  }

  /** The request was never made: its place is given back. */
  cancel(ticket: Ticket): void {
    this.tenants.get(ticket.tenantId)?.log.remove(ticket.tenantEntry);
    if (ticket.conversationId !== undefined && ticket.conversationEntry) {
      this.conversations.get(conversationKey(ticket.tenantId, ticket.conversationId))?.log.remove(ticket.conversationEntry);
    }
  }

  /**
   * A 429: the tenant (and the conversation, if any) waits `pauseMs`, then
   * runs at half its current share, growing back over `recoveryMs`. Several
   * 429s within one pause (requests that were already in flight) cut once.
   */
  throttle(now: number, tenantId: string, pauseMs: number, conversationId?: string): void {
    const tenant = this.tenant(tenantId);
    const until = now + Math.max(0, pauseMs);
    if (now >= tenant.pausedUntil) {
      tenant.share = Math.max(this.limits.minShare, this.share(tenant, now) / 2);
    }
    tenant.pausedUntil = Math.max(tenant.pausedUntil, until);
    tenant.recoveringFrom = tenant.pausedUntil;
    if (conversationId !== undefined) {
      const conversation = this.conversation(tenantId, conversationId);
      conversation.pausedUntil = Math.max(conversation.pausedUntil, until);
    }
  }

  /**
   * Another sender (an instance that held the tenant before) may have made
   * requests until `lastRequestAt`; they count in the service's windows, so
   * the tenant waits until they have left the longest of them.
   */
  others(tenantId: string, lastRequestAt: number): void {
    const tenant = this.tenant(tenantId);
    tenant.pausedUntil = Math.max(tenant.pausedUntil, lastRequestAt + this.longestTenantMs);
  }

  /** The share of the tenant's limit in force at `now` (1 = the full limit). */
  tenantShare(tenantId: string, now: number): number {
    const tenant = this.tenants.get(tenantId);
    return tenant ? this.share(tenant, now) : 1;
  }

  private share(tenant: TenantState, now: number): number {
    if (tenant.share >= 1) return 1;
    if (now <= tenant.recoveringFrom) return tenant.share;
    const regained = this.limits.recoveryMs > 0 ? (now - tenant.recoveringFrom) / this.limits.recoveryMs : 1;
    const share = Math.min(1, tenant.share + regained);
    if (share >= 1) tenant.share = 1;
    return share;
  }

  private tenant(tenantId: string): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { log: new RequestLog(), pausedUntil: Number.NEGATIVE_INFINITY, share: 1, recoveringFrom: Number.NEGATIVE_INFINITY };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  private conversation(tenantId: string, conversationId: string): ConversationState {
    const key = conversationKey(tenantId, conversationId);
    let state = this.conversations.get(key);
    if (!state) {
      state = { log: new RequestLog(), pausedUntil: Number.NEGATIVE_INFINITY };
      this.conversations.set(key, state);
    }
    return state;
  }

  /** Forgets conversations (a fan-out touches thousands) and tenants with nothing left to remember. */
  private sweep(now: number): void {
    for (const tenant of this.tenants.values()) tenant.log.prune(now, this.longestTenantMs);
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, state] of this.conversations) {
      if (state.log.prune(now, this.longestConversationMs) && state.pausedUntil <= now) this.conversations.delete(key);
    }
    for (const [key, state] of this.tenants) {
      if (state.log.entries.length === 0 && state.pausedUntil <= now && this.share(state, now) >= 1) this.tenants.delete(key);
    }
  }

  /** How many conversations are remembered (for tests of the sweep). */
  get rememberedConversations(): number {
    return this.conversations.size;
  }
}

function conversationKey(tenantId: string, conversationId: string): string {
  return `${tenantId}\n${conversationId}`;
}
