import { odata, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import type { OutgoingActivity } from '../proactive/connector';
import type { DeliveryTarget } from '../proactive/outbox';
import {
  DELIVERY_JOB_STATUSES,
  type DeliveryJobRecord,
  type NewRecipientRow,
  RECIPIENT_STATUSES,
  type RecipientChanges,
  type RecipientRecord,
} from '../proactive/outboxRepository';
import { joinParts, splitIntoParts } from './chunks';
import { escapeKey } from './tableKeys';
import { TRANSACTION_ROWS, withoutSystemFields } from './tables';

/**
 * The rows of the outbox table (layout in outboxTable.ts): their keys, the
 * schemas they are parsed with on the way out (rows outlive the code that
 * wrote them), and the mapping between rows and the outbox's records.
 */

export const JOB_ROW = 'job';
const RECIPIENT = 'r|';
/** Sorts right after every `r|…` key. */
const RECIPIENT_END = 'r}';
export const OPEN = 'open';
/** The binary properties holding a recipient's activity: activity0, activity1, … */
const ACTIVITY_PARTS = 'activity';
/** Room for a recipient row's other properties when estimating its size in a transaction. */
const ROW_OVERHEAD_BYTES = 2_000;
/** An entity-group transaction's 4 MiB, with room to spare; binary travels as base64. */
const TRANSACTION_BYTES = 3_000_000;

export type Row = Record<string, string | number | boolean | Uint8Array>;

export const jobPartition = (jobId: string): string => escapeKey(`job|${jobId}`);
export const recipientRowKey = (key: string): string => escapeKey(RECIPIENT + key);

/** Every recipient row of a job (a range of its partition). */
export function recipientsFilter(jobId: string): string {
  return `${odata`PartitionKey eq ${jobPartition(jobId)}`} and RowKey ge '${RECIPIENT}' and RowKey lt '${RECIPIENT_END}'`;
}

const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  tenantId: z.string(),
  startedBy: z.string().optional(),
  reportTo: z.string().optional(),
  status: z.enum(DELIVERY_JOB_STATUSES),
  enqueuingUntil: z.string().optional(),
  recipients: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().optional(),
  sent: z.number().int().optional(),
  failed: z.number().int().optional(),
  failedByReason: z.string().optional(),
});

export const openEntrySchema = z.object({ jobId: z.string(), tenantId: z.string(), kind: z.string() });

const recipientSchema = z.object({
  key: z.string(),
  targetKind: z.enum(['conversation', 'person']),
  serviceUrl: z.string(),
  tenantId: z.string(),
  targetConversationId: z.string().optional(),
  userId: z.string().optional(),
  botId: z.string().optional(),
  aadObjectId: z.string().optional(),
  activityParts: z.number().int().min(1),
  status: z.enum(RECIPIENT_STATUSES),
  attempts: z.number().int(),
  retries: z.number().int(),
  takeovers: z.number().int(),
  lastErrorCode: z.string().optional(),
  lastErrorStatus: z.number().int().optional(),
  failureReason: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  claimOwner: z.string().optional(),
  claimExpiresAt: z.string().optional(),
  conversationId: z.string().optional(),
  activityId: z.string().optional(),
  enqueuedAt: z.string(),
  sentAt: z.string().optional(),
  updatedAt: z.string(),
});

function definedFields(value: object): Row {
  const row: Row = {};
  for (const [name, field] of Object.entries(value)) {
    if (field !== undefined && field !== null) row[name] = field as Row[string];
  }
  return row;
}

/** A new recipient row, pending, and about how many bytes it takes in a transaction (binary travels as base64). */
export function recipientEntity(jobId: string, row: NewRecipientRow): { entity: TableEntity<Row>; bytes: number } {
  const json = Buffer.from(JSON.stringify(row.activity), 'utf8');
  const { parts, count } = splitIntoParts(ACTIVITY_PARTS, json);
  const target = row.target;
  const fields = definedFields({
    key: row.key,
    targetKind: target.kind,
    serviceUrl: target.serviceUrl,
    tenantId: target.tenantId,
    targetConversationId: target.kind === 'conversation' ? target.conversationId : undefined,
    userId: target.kind === 'person' ? target.userId : undefined,
    botId: target.kind === 'person' ? target.botId : undefined,
    aadObjectId: target.kind === 'person' ? target.aadObjectId : undefined,
    activityParts: count,
    status: 'pending',
    attempts: 0,
    retries: 0,
    takeovers: 0,
    enqueuedAt: row.enqueuedAt,
    updatedAt: row.enqueuedAt,
  });
  return {
    entity: { ...fields, ...parts, partitionKey: jobPartition(jobId), rowKey: recipientRowKey(row.key) },
    bytes: Math.ceil((json.length * 4) / 3) + ROW_OVERHEAD_BYTES,
  };
}

/** New rows grouped into transactions that stay within the row and size limits. */
export function inTransactions(rows: readonly { entity: TableEntity<Row>; bytes: number }[]): TableEntity<Row>[][] {
  const batches: TableEntity<Row>[][] = [];
  let batch: TableEntity<Row>[] = [];
  let bytes = 0;
  for (const { entity, bytes: size } of rows) {
    if (batch.length > 0 && (batch.length >= TRANSACTION_ROWS || bytes + size > TRANSACTION_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entity);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export function recipientFromEntity(jobId: string, entity: Record<string, unknown>): RecipientRecord {
  const fields = withoutSystemFields(entity);
  const parsed = recipientSchema.parse(fields);
  const json = joinParts(ACTIVITY_PARTS, fields, parsed.activityParts, (index) => new Error(`Outbox row of job ${jobId} lacks part ${index} of its activity`));
  const activity = JSON.parse(json.toString('utf8')) as OutgoingActivity;
  const target: DeliveryTarget =
    parsed.targetKind === 'conversation'
      ? { kind: 'conversation', serviceUrl: parsed.serviceUrl, tenantId: parsed.tenantId, conversationId: parsed.targetConversationId ?? '' }
      : {
          kind: 'person',
          serviceUrl: parsed.serviceUrl,
          tenantId: parsed.tenantId,
          userId: parsed.userId ?? '',
          botId: parsed.botId ?? '',
          ...(parsed.aadObjectId !== undefined ? { aadObjectId: parsed.aadObjectId } : {}),
        };
  const {
    targetKind: _kind,
    serviceUrl: _url,
    tenantId: _tenant,
    targetConversationId: _conversation,
    userId: _user,
    botId: _bot,
    aadObjectId: _aad,
    activityParts: _parts,
    ...state
  } = parsed;
  return { jobId, target, activity, ...state };
}

/** The changed properties of a recipient row, for a Merge (the activity is never rewritten). */
export function recipientChangeEntity(record: RecipientRecord, changes: RecipientChanges): TableEntity<Row> {
  return { ...definedFields(changes), partitionKey: jobPartition(record.jobId), rowKey: recipientRowKey(record.key) };
}

export function jobFromEntity(entity: Record<string, unknown>): DeliveryJobRecord {
  const parsed = jobSchema.parse(withoutSystemFields(entity));
  const { reportTo, failedByReason, ...rest } = parsed;
  return {
    ...rest,
    ...(reportTo !== undefined ? { reportTo: z.record(z.unknown()).parse(JSON.parse(reportTo)) } : {}),
    ...(failedByReason !== undefined ? { failedByReason: z.record(z.number()).parse(JSON.parse(failedByReason)) } : {}),
  };
}

/** The job row with the given properties: the whole job, or the changes for a Merge. */
export function jobEntity(jobId: string, job: Partial<DeliveryJobRecord>): TableEntity<Row> {
  const { reportTo, failedByReason, ...rest } = job;
  const fields = definedFields({
    ...rest,
    reportTo: reportTo === undefined ? undefined : JSON.stringify(reportTo),
    failedByReason: failedByReason === undefined ? undefined : JSON.stringify(failedByReason),
  });
  return { ...fields, partitionKey: jobPartition(jobId), rowKey: JOB_ROW };
}

/** The job's entry in the open-jobs index. */
export function openEntryEntity(job: Pick<DeliveryJobRecord, 'id' | 'tenantId' | 'kind'>, at: Date): TableEntity<Row> {
  return { partitionKey: OPEN, rowKey: escapeKey(job.id), jobId: job.id, tenantId: job.tenantId, kind: job.kind, openedAt: at.toISOString() };
}
