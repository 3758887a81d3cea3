import type { Logger } from '../logger';
import type { ConnectorPort } from './connector';
import type { Clock, ProgressHandler } from './outbox';
import type { OutboxRepository, PersonalConversationStore, TenantLeaseRepository } from './outboxRepository';
import { type RateWindow, TEAMS_CONVERSATION_WINDOWS } from './rateLimiter';
import type { BackoffPolicy } from './retryPolicy';

/** What the sender can be tuned with, what it needs, and what it offers (the sender itself is in sender.ts). */

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
  // Teams' budget per app and tenant.
  tenantRequestsPerSecond: 50,
  conversationWindows: TEAMS_CONVERSATION_WINDOWS,
  // With the backoff below, the retries span four to eight minutes: a passing outage of the service is outlasted.
  maxRetries: 8,
  backoff: { baseMs: 2_000, maxMs: 10 * 60_000 },
  // A second first, like Teams' per-second windows; at most a minute, so that a tenant never stalls for long.
  throttleBackoff: { baseMs: 1_000, maxMs: 60_000 },
  // A minute: room for a wait at the rate gate and a connector call, short enough that a dead sender's rows return soon.
  claimMs: 60_000,
  // The connector's timeout (15 s) plus a write.
  claimMarginMs: 20_000,
  // Half of what one transaction holds (100): a claim is one request, and claimed rows do not wait long for their turn.
  claimBatchSize: 50,
  // Keeps 50 requests a second flowing at a few hundred ms each. It also caps what a crash can
  // leave in flight when storage writes are slow (crashDuplicateBound): more rows in progress would
  // need a cap of their own on sends not yet recorded.
  concurrency: 16,
  pollIntervalMs: 2_000,
  progressIntervalMs: 1_000,
  exclusiveTenants: true,
  // Half a minute: another instance takes over a dead holder's tenant soon, and renewing costs a write every 15 s.
  tenantLeaseMs: 30_000,
};

/**
 * What one crash (SIGKILL, power loss) of a sender can duplicate: the
 * messages the connector accepted whose outcome was not yet written. A
 * message is in that state from the moment its send starts until its
 * outcome is stored, i.e. for the send's latency plus one storage write
 * (a chat created for the message is recorded in that same write; a crash
 * before the send only costs creating the chat again, which Teams answers
 * with the same chat). The rate gate starts a tenant's requests evenly
 * spaced (rateGate.ts), so at most ⌈rate × (latency + write)⌉ + 1 sends are
 * in that state at any instant while a write takes no longer than that,
 * and never more than the rows in progress (`concurrency`), however slow
 * storage is. The rate counts every
 * request, chat creations too, so for new 1:1 chats the real figure is
 * about half. Nothing is lost: such a row is sent again after the restart.
 */
export function crashDuplicateBound(rate: { requestsPerSecond: number; sendLatencyMs: number; recordWriteMs: number; concurrency: number }): number {
  const inFlight = Math.ceil((rate.requestsPerSecond * (rate.sendLatencyMs + rate.recordWriteMs)) / 1000) + 1;
  return Math.min(rate.concurrency, inFlight);
}

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
  /** The tenants' sending leases (see SenderOptions.exclusiveTenants). */
  leases: TenantLeaseRepository;
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
