import type { OutgoingActivity } from './connector';
import type { DeliveryTarget, NewDeliveryJob } from './outbox';

/**
 * The outbox as stored (outbox.ts is how features use it): the records of
 * jobs and recipients, and the repositories that keep them, implemented in
 * src/storage.
 */

export const RECIPIENT_STATUSES = ['pending', 'sending', 'sent', 'retrying', 'failed'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** A recipient row as stored. Times are ISO-8601 UTC strings. */
export interface RecipientRecord {
  jobId: string;
  key: string;
  target: DeliveryTarget;
  activity: OutgoingActivity;
  status: RecipientStatus;
  /** Connector calls made for this recipient (creating the chat and sending each count one). */
  attempts: number;
  /** Retries scheduled after transient failures. */
  retries: number;
  /** Times the row was claimed again after its sender died holding it. */
  takeovers: number;
  lastErrorCode?: string;
  lastErrorStatus?: number;
  /** Why a failed row failed, e.g. ConversationBlockedByUser or RetriesExhausted. */
  failureReason?: string;
  nextAttemptAt?: string;
  claimOwner?: string;
  claimExpiresAt?: string;
  /** The conversation the message went to (created for a person, or found for them). */
  conversationId?: string;
  /** The id the Bot Connector gave the sent activity (for updating the card later). */
  activityId?: string;
  enqueuedAt: string;
  sentAt?: string;
  updatedAt: string;
}

export interface StoredRecipient {
  record: RecipientRecord;
  eTag: string;
}

/** What a sender changes on a row (merged into it). */
export type RecipientChanges = Partial<
  Pick<
    RecipientRecord,
    | 'status'
    | 'attempts'
    | 'retries'
    | 'takeovers'
    | 'lastErrorCode'
    | 'lastErrorStatus'
    | 'failureReason'
    | 'nextAttemptAt'
    | 'claimOwner'
    | 'claimExpiresAt'
    | 'conversationId'
    | 'activityId'
    | 'sentAt'
  >
> & { updatedAt: string };

export const DELIVERY_JOB_STATUSES = ['open', 'done'] as const;
export type DeliveryJobStatus = (typeof DELIVERY_JOB_STATUSES)[number];

export interface DeliveryJobRecord {
  id: string;
  kind: string;
  tenantId: string;
  startedBy?: string;
  reportTo?: Record<string, unknown>;
  /** open: being sent (or about to be); done: every recipient sent or failed. */
  status: DeliveryJobStatus;
  /**
   * While an enqueue is adding recipients, the job cannot complete: a sender
   * that saw no open rows halfway would otherwise report it done. A lease
   * rather than a flag, so that an enqueue that crashed does not hold the job
   * open for ever.
   */
  enqueuingUntil?: string;
  /** Recipients in the job when it was last sealed. */
  recipients: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** The final counts, written when the job completes. */
  sent?: number;
  failed?: number;
  failedByReason?: Record<string, number>;
}

export interface StoredDeliveryJob {
  job: DeliveryJobRecord;
  eTag: string;
}

/** An entry of the open-jobs index: what senders scan for work. */
export interface OpenJobEntry {
  jobId: string;
  tenantId: string;
  kind: string;
  eTag: string;
}

/** One instance at a time sends for a tenant, so that the tenant's budget (50 requests a second per app) is not spent twice. */
export interface TenantLease {
  tenantId: string;
  owner: string;
  expiresAt: string;
  eTag: string;
  /**
   * Set when the lease was taken from another instance (released or
   * expired): until when that instance may have sent. Its requests still
   * count in the service's window for a while after.
   */
  previousHolderUntil?: string;
  /** The previous holder was an earlier start of this instance (instanceId.ts): it stopped sending before this process started. */
  previousLife?: boolean;
}

/** A job's recipient rows by status. */
export interface RecipientStatusCounts {
  total: number;
  pending: number;
  retrying: number;
  sending: number;
  sent: number;
  failed: number;
  failedByReason: Record<string, number>;
}

export function openCount(counts: RecipientStatusCounts): number {
  return counts.pending + counts.retrying + counts.sending;
}

/**
 * Where the outbox lives. Every change of a recipient row is conditioned on
 * the ETag the caller read; a row that changed meanwhile fails with STALE
 * (or, in a batch, comes back undefined).
 */
export interface OutboxRepository {
  /**
   * Creates the job (status open) or finds it, sets its enqueuing lease and
   * enters it in the open-jobs index. CONFLICT when the id belongs to a job
   * of another kind or tenant.
   */
  openJob(job: NewDeliveryJob, enqueuingUntil: Date, at: Date): Promise<{ job: DeliveryJobRecord; entry: OpenJobEntry }>;
  /** Inserts the recipients the job does not have yet. */
  addRecipients(jobId: string, recipients: NewRecipientRow[]): Promise<{ added: number; total: number }>;
  /** Ends the enqueuing lease and records the number of recipients; `reopen` sets a done job open again. */
  sealJob(jobId: string, seal: { total: number; reopen: boolean }, at: Date): Promise<DeliveryJobRecord>;
  /** Sets a done job open again (rows were added after it completed); false when it changed meanwhile. */
  reopenJob(jobId: string, eTag: string, at: Date): Promise<boolean>;
  getJob(jobId: string): Promise<StoredDeliveryJob | undefined>;
  listOpenJobs(): Promise<OpenJobEntry[]>;
  /**
   * Rows a sender may claim at `now`, at most `limit`: pending; retrying and
   * due; sending with an expired claim; and, given the sender's own holder
   * id `self`, sending under a claim of a previous life of its instance
   * (instanceId.ts), which is taken back at once.
   */
  findClaimable(jobId: string, now: Date, limit: number, self?: string): Promise<StoredRecipient[]>;
  /**
   * Merges each change into its row if the row is unchanged since it was
   * read: in one transaction when all are, else one by one. Returns the rows
   * as changed, in order, with undefined for each row that had changed.
   */
  updateMany(changes: { row: StoredRecipient; changes: RecipientChanges }[]): Promise<(StoredRecipient | undefined)[]>;
  /** Merges changes into a row unchanged since it was read; STALE otherwise. */
  update(row: StoredRecipient, changes: RecipientChanges): Promise<StoredRecipient>;
  getRecipient(jobId: string, key: string): Promise<StoredRecipient | undefined>;
  listRecipients(jobId: string): Promise<RecipientRecord[]>;
  /** The recipients that failed for good and why, without their activities (for "who was not reached"). */
  failedRecipients(jobId: string): Promise<{ key: string; failureReason?: string }[]>;
  countStatuses(jobId: string): Promise<RecipientStatusCounts>;
  /** Marks the job done with its final counts if it still has `eTag`; false when it changed. */
  completeJob(jobId: string, eTag: string, counts: RecipientStatusCounts, at: Date): Promise<boolean>;
  /** Removes an index entry unless it changed since it was listed (a new enqueue re-entered the job). */
  closeOpenEntry(entry: OpenJobEntry): Promise<void>;
}

/** Where the tenants' sending leases live; every write is conditioned on the ETag read. */
export interface TenantLeaseRepository {
  /**
   * Takes or renews the tenant's sending lease until `until`: succeeds when
   * there is none, it expired, or `owner` holds it; undefined while another
   * owner holds it (or won a race for it).
   */
  take(tenantId: string, owner: string, until: Date, now: Date): Promise<TenantLease | undefined>;
  /** Gives the lease up (keeping when it ended) unless it changed since it was taken. */
  release(lease: TenantLease, at: Date): Promise<void>;
}

/** A recipient row to insert. */
export interface NewRecipientRow {
  key: string;
  target: DeliveryTarget;
  activity: OutgoingActivity;
  enqueuedAt: string;
}

/** A 1:1 chat the sender created, to be kept as a conversation reference. */
export interface CreatedPersonalConversation {
  tenantId: string;
  userId: string;
  aadObjectId?: string;
  botId: string;
  serviceUrl: string;
  conversationId: string;
  createdAt: string;
}

/**
 * The bot's 1:1 chats by person: the sender looks a person's chat up before
 * creating one and reports each chat it creates, so that a chat is created
 * once and later deliveries (and the conversation references) use it.
 */
export interface PersonalConversationStore {
  find(tenantId: string, userId: string): Promise<string | undefined>;
  remember(conversation: CreatedPersonalConversation): Promise<void>;
  /** Many at once: a transaction per tenant and 100 chats, where remember writes each alone. */
  rememberMany(conversations: readonly CreatedPersonalConversation[]): Promise<void>;
}
