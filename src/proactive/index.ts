import { Outbox, type ProgressHandler } from './outbox';
import { createSender } from './sender';
import type { OutboxSender, SenderDeps, SenderOptions } from './senderOptions';

export * from './connector';
export * from './outbox';
export * from './outboxRepository';
export * from './rateLimiter';
export * from './retryPolicy';
export { createSender } from './sender';
export {
  crashDuplicateBound,
  DEFAULT_SENDER_OPTIONS,
  type OutboxSender,
  type SenderDeps,
  type SenderOptions,
  type UnreachableConversation,
} from './senderOptions';

/** The delivery is the sender plus the outbox it drains: the same dependencies. */
export type ProactiveDeliveryDeps = SenderDeps;

/**
 * What features get: enqueue a job, read its progress, hear about it.
 * `start` and `stop` belong to the program's wiring.
 */
export interface ProactiveDelivery {
  enqueue: Outbox['enqueue'];
  progress: Outbox['progress'];
  onProgress(kind: string, handler: ProgressHandler): void;
  /** A connector call of the feature's own (a status card updated in place) within the tenant's limits. */
  withinLimits: OutboxSender['withinLimits'];
  readonly sender: OutboxSender;
  start(): void;
  stop(): Promise<void>;
}

export function createProactiveDelivery(deps: ProactiveDeliveryDeps, options: Partial<SenderOptions> = {}): ProactiveDelivery {
  const sender = createSender(deps, options);
  const outbox = new Outbox(deps.repository, deps.now, () => sender.wake());
  return {
    enqueue: (job, recipients) => outbox.enqueue(job, recipients),
    progress: (jobId) => outbox.progress(jobId),
    onProgress: (kind, handler) => sender.onProgress(kind, handler),
    withinLimits: (tenantId, conversationId, request) => sender.withinLimits(tenantId, conversationId, request),
    sender,
    start: () => sender.start(),
    stop: () => sender.stop(),
  };
}
