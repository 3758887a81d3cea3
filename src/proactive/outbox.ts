import { z } from 'zod';
import { AppError } from '../domain/errors';
import type { Clock } from '../time';
import type { OutgoingActivity } from './connector';
import { type NewRecipientRow, openCount, type OutboxRepository } from './outboxRepository';

/**
 * The outbox: every proactive message is a row in Table Storage before
 * anything is sent. A delivery job (e.g. "goal-dialogue prompt for dialogue
 * X") holds one row per recipient; senders drain the rows (see sender.ts).
 *
 * A recipient row's life:
 *
 *   pending ──claim──▶ sending ──answer──▶ sent
 *                        │  ▲   └───────▶ failed   (permanent, with its reason)
 *                        ▼  │claim
 *                      retrying (nextAttemptAt)
 *
 * `sending` means a sender holds the row (its claim owner and expiry) and
 * may have a request in flight. A row left `sending` with an expired claim
 * was held by a sender that died; it is claimed again (a takeover).
 */

export type { Clock };

/** Job ids are chosen by the feature and stable, e.g. `goal-dialogue-prompt|<dialogueId>`: enqueueing again adds nothing twice. */
export const deliveryJobIdSchema = z.string().min(1).max(200);
export const deliveryKindSchema = z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, 'must be a lower-case kind such as goal-dialogue-prompt');
/** Stable per job, e.g. the teacher's Entra object id. */
export const recipientKeySchema = z.string().min(1).max(200);

const serviceUrlSchema = z.string().url();

export const deliveryTargetSchema = z.discriminatedUnion('kind', [
  /** An existing conversation: a personal chat, a channel or a group chat. */
  z.object({ kind: z.literal('conversation'), serviceUrl: serviceUrlSchema, tenantId: z.string().min(1), conversationId: z.string().min(1) }),
  /** A person whose 1:1 chat with the bot may not exist yet (created from the roster's user id). */
  z.object({
    kind: z.literal('person'),
    serviceUrl: serviceUrlSchema,
    tenantId: z.string().min(1),
    userId: z.string().min(1),
    botId: z.string().min(1),
    aadObjectId: z.string().optional(),
  }),
]);
export type DeliveryTarget = z.infer<typeof deliveryTargetSchema>;

const activitySchema = z
  .object({ type: z.literal('message') })
  .passthrough()
  .transform((value) => value as OutgoingActivity);

/** reportTo is kept in one string property (at most 32 K characters). */
export const MAX_REPORT_TO_CHARS = 30_000;

/** Teams refuses messages above about 100 KB (413); rows hold up to about 1 MB. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

export const newDeliveryJobSchema = z.object({
  id: deliveryJobIdSchema,
  kind: deliveryKindSchema,
  tenantId: z.string().min(1),
  /** Who started it, e.g. the principal's Entra object id. */
  startedBy: z.string().max(200).optional(),
  /** Where the feature shows progress, e.g. the status card's conversation and activity ids: the feature's own JSON. */
  reportTo: z
    .record(z.unknown())
    .refine((value) => JSON.stringify(value).length <= MAX_REPORT_TO_CHARS, `must be at most ${MAX_REPORT_TO_CHARS} characters as JSON`)
    .optional(),
});
export type NewDeliveryJob = z.infer<typeof newDeliveryJobSchema>;

export const newRecipientSchema = z.object({
  key: recipientKeySchema,
  target: deliveryTargetSchema,
  activity: activitySchema,
});
export type NewRecipient = Omit<z.input<typeof newRecipientSchema>, 'activity'> & { activity: OutgoingActivity };

export interface JobProgress {
  jobId: string;
  kind: string;
  tenantId: string;
  startedBy?: string;
  reportTo?: Record<string, unknown>;
  createdAt: string;
  total: number;
  sent: number;
  /** Not finished yet: pending, retrying and being sent. */
  pending: number;
  /** Of `pending`, those waiting to be tried again after a transient failure. */
  retrying: number;
  failed: number;
  /** Failed recipients by reason, e.g. { ConversationBlockedByUser: 2, RetriesExhausted: 1 }. */
  failedByReason: Record<string, number>;
  done: boolean;
  completedAt?: string;
}

export type ProgressHandler = (progress: JobProgress) => void | Promise<void>;

export async function readProgress(repository: OutboxRepository, jobId: string): Promise<JobProgress | undefined> {
  const stored = await repository.getJob(jobId);
  if (!stored) return undefined;
  const { job } = stored;
  const counts = await repository.countStatuses(jobId);
  return {
    jobId: job.id,
    kind: job.kind,
    tenantId: job.tenantId,
    ...(job.startedBy !== undefined ? { startedBy: job.startedBy } : {}),
    ...(job.reportTo !== undefined ? { reportTo: job.reportTo } : {}),
    createdAt: job.createdAt,
    total: counts.total,
    sent: counts.sent,
    pending: openCount(counts),
    retrying: counts.retrying,
    failed: counts.failed,
    failedByReason: counts.failedByReason,
    done: job.status === 'done' && openCount(counts) === 0,
    ...(job.completedAt !== undefined ? { completedAt: job.completedAt } : {}),
  };
}

/** How long an enqueue may take before a sender stops waiting for it to finish (see enqueuingUntil). */
export const ENQUEUING_LEASE_MS = 10 * 60_000;

export interface EnqueueResult {
  jobId: string;
  /** Recipients inserted by this call. */
  added: number;
  /** Recipients the job already had (an enqueue repeated after a crash). */
  alreadyQueued: number;
}

/**
 * What features use: put a job's messages in the outbox and read its
 * progress. Enqueueing is idempotent per (job id, recipient key): a feature
 * that crashed halfway simply enqueues the same job again.
 */
export class Outbox {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly now: Clock,
    /** Called after an enqueue, e.g. to wake this instance's sender at once. */
    private readonly enqueued: (jobId: string) => void = () => undefined,
  ) {}

  async enqueue(job: NewDeliveryJob, recipients: readonly NewRecipient[]): Promise<EnqueueResult> {
    const parsedJob = parse(newDeliveryJobSchema, job, 'delivery job');
    const rows = new Map<string, NewRecipientRow>();
    const at = this.now();
    for (const recipient of recipients) {
      const parsed = parse(newRecipientSchema, recipient, 'recipient');
      if (parsed.target.tenantId !== parsedJob.tenantId) {
        throw new AppError('INVALID_INPUT', 'A recipient is in another tenant than its delivery job', { jobId: parsedJob.id });
      }
      const bytes = Buffer.byteLength(JSON.stringify(parsed.activity), 'utf8');
      if (bytes > MAX_ACTIVITY_BYTES) {
        throw new AppError('INVALID_INPUT', `An activity has ${bytes} bytes; at most ${MAX_ACTIVITY_BYTES} are allowed`, { jobId: parsedJob.id });
      }
      // The first of duplicate keys wins, as it would across two enqueues.
      if (!rows.has(parsed.key)) rows.set(parsed.key, { ...parsed, enqueuedAt: at.toISOString() });
    }
    const { entry } = await this.repository.openJob(parsedJob, new Date(at.getTime() + ENQUEUING_LEASE_MS), at);
    const { added, total } = await this.repository.addRecipients(parsedJob.id, [...rows.values()]);
    const sealed = await this.repository.sealJob(parsedJob.id, { total, reopen: added > 0 }, this.now());
    if (added === 0 && sealed.status === 'done') {
      // Nothing new for a finished job: it stays finished, without a second completion report.
      await this.repository.closeOpenEntry(entry);
    } else {
      this.enqueued(parsedJob.id);
    }
    return { jobId: parsedJob.id, added, alreadyQueued: rows.size - added };
  }

  /** Sent / pending / failed by reason, or undefined for an unknown job. */
  progress(jobId: string): Promise<JobProgress | undefined> {
    return readProgress(this.repository, jobId);
  }
}

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what} ${issue.message}`).join('; ');
    throw new AppError('INVALID_INPUT', `Invalid ${what}: ${problems}`);
  }
  return result.data as z.output<S>;
}
