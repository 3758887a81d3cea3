import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import type { OutgoingActivity } from '../proactive/connector';
import {
  type DeliveryJobRecord,
  type DeliveryTarget,
  JOB_STATUSES,
  type NewDeliveryJob,
  type NewRecipientRow,
  type OpenJobEntry,
  type OutboxRepository,
  RECIPIENT_STATUSES,
  type RecipientChanges,
  type RecipientRecord,
  type StatusCounts,
  type StoredJob,
  type StoredRecipient,
  type TenantLease,
} from '../proactive/outbox';
import { escapeKey } from './tableKeys';
import { restStatus } from './tables';

/**
 * The outbox in one table:
 *
 *   PartitionKey        RowKey        what
 *   job|<jobId>         job           the delivery job (kind, tenant, who started it, final counts)
 *   job|<jobId>         r|<key>       one row per recipient (target, activity, status, claim)
 *   open                <jobId>       the open-jobs index: what senders scan for work
 *   lease               <tenantId>    which sender instance sends for the tenant, until when
 *
 * A job and its recipients share a partition, so that enqueueing inserts
 * and claiming updates up to 100 rows in one entity-group transaction, and
 * "what can be sent in this job" is one filtered range read of that
 * partition. Senders only read partitions the open-jobs index names, so the
 * cost of finding work does not grow with the jobs ever sent; a finished
 * job leaves the index.
 *
 * An activity (an Adaptive Card can be tens of KB; a string property holds
 * 32 K UTF-16 characters) is stored as UTF-8 JSON in binary properties of
 * up to 64 KB each (`activity0`, `activity1`, …).
 *
 * Every change of a recipient row is a Merge conditioned on its ETag, so
 * the large activity is written once and never rewritten.
 */
const JOB_ROW = 'job';
const RECIPIENT = 'r|';
/** Sorts right after every `r|…` key. */
const RECIPIENT_END = 'r}';
const OPEN = 'open';
const LEASE = 'lease';
const CHUNK_BYTES = 64_000;
/** An entity-group transaction holds at most 100 operations and 4 MiB; binary travels as base64. */
const TRANSACTION_ROWS = 100;
const TRANSACTION_BYTES = 3_000_000;
const PARALLEL_WRITES = 8;

type Row = Record<string, string | number | boolean | Uint8Array>;

const jobPartition = (jobId: string): string => escapeKey(`job|${jobId}`);
const recipientRowKey = (key: string): string => escapeKey(RECIPIENT + key);

const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  tenantId: z.string(),
  startedBy: z.string().optional(),
  reportTo: z.string().optional(),
  status: z.enum(JOB_STATUSES),
  enqueuingUntil: z.string().optional(),
  recipients: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().optional(),
  sent: z.number().int().optional(),
  failed: z.number().int().optional(),
  failedByReason: z.string().optional(),
});

const openEntrySchema = z.object({ jobId: z.string(), tenantId: z.string(), kind: z.string() });
const leaseSchema = z.object({ tenantId: z.string(), owner: z.string(), expiresAt: z.string() });

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

function withoutSystemFields(entity: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (!['partitionKey', 'rowKey', 'etag', 'timestamp'].includes(name) && !name.startsWith('odata.')) fields[name] = value;
  }
  return fields;
}

function recipientEntity(jobId: string, row: NewRecipientRow): { entity: TableEntity<Row>; bytes: number } {
  const json = Buffer.from(JSON.stringify(row.activity), 'utf8');
  const parts: Row = {};
  let count = 0;
  for (let offset = 0; offset < json.length || count === 0; offset += CHUNK_BYTES) {
    parts[`activity${count}`] = new Uint8Array(json.subarray(offset, offset + CHUNK_BYTES));
    count += 1;
  }
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
    bytes: Math.ceil((json.length * 4) / 3) + 2_000,
  };
}

function recipientFromEntity(jobId: string, entity: Record<string, unknown>): RecipientRecord {
  const fields = withoutSystemFields(entity);
  const parsed = recipientSchema.parse(fields);
  const chunks: Buffer[] = [];
  for (let index = 0; index < parsed.activityParts; index++) {
    const part = fields[`activity${index}`];
    if (!(part instanceof Uint8Array)) throw new Error(`Outbox row of job ${jobId} lacks part ${index} of its activity`);
    chunks.push(Buffer.from(part));
  }
  const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OutgoingActivity;
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

function jobFromEntity(entity: Record<string, unknown>): DeliveryJobRecord {
  const parsed = jobSchema.parse(withoutSystemFields(entity));
  const { reportTo, failedByReason, ...rest } = parsed;
  return {
    ...rest,
    ...(reportTo !== undefined ? { reportTo: z.record(z.unknown()).parse(JSON.parse(reportTo)) } : {}),
    ...(failedByReason !== undefined ? { failedByReason: z.record(z.number()).parse(JSON.parse(failedByReason)) } : {}),
  };
}

function isStale(error: unknown): boolean {
  const status = restStatus(error);
  return status === 412 || status === 404;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of results. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(runners);
  return results;
}

export class OutboxTable implements OutboxRepository {
  constructor(private readonly client: TableClient) {}

  async openJob(job: NewDeliveryJob, enqueuingUntil: Date, at: Date): Promise<{ job: DeliveryJobRecord; entry: OpenJobEntry }> {
    let record: DeliveryJobRecord | undefined;
    for (let attempt = 0; attempt < 20 && !record; attempt++) {
      const stored = await this.getJob(job.id);
      if (!stored) {
        const created: DeliveryJobRecord = {
          id: job.id,
          kind: job.kind,
          tenantId: job.tenantId,
          ...(job.startedBy !== undefined ? { startedBy: job.startedBy } : {}),
          ...(job.reportTo !== undefined ? { reportTo: job.reportTo } : {}),
          status: 'open',
          enqueuingUntil: enqueuingUntil.toISOString(),
          recipients: 0,
          createdAt: at.toISOString(),
          updatedAt: at.toISOString(),
        };
        try {
          await this.client.createEntity(this.jobEntity(created));
          record = created;
        } catch (error) {
          if (restStatus(error) !== 409) throw error;
        }
        continue;
      }
      if (stored.job.kind !== job.kind || stored.job.tenantId !== job.tenantId) {
        throw new AppError('CONFLICT', 'A delivery job with this id exists for another kind or tenant', { jobId: job.id });
      }
      const changes = { enqueuingUntil: enqueuingUntil.toISOString(), updatedAt: at.toISOString() };
      if (await this.mergeJob(job.id, changes, stored.eTag)) record = { ...stored.job, ...changes };
    }
    if (!record) throw new AppError('CONFLICT', 'The delivery job kept changing while being opened', { jobId: job.id });
    const entry = { jobId: record.id, tenantId: record.tenantId, kind: record.kind };
    const result = await this.client.upsertEntity({ partitionKey: OPEN, rowKey: escapeKey(record.id), ...entry, openedAt: at.toISOString() }, 'Replace');
    return { job: record, entry: { ...entry, eTag: result.etag ?? '' } };
  }

  async addRecipients(jobId: string, recipients: NewRecipientRow[]): Promise<{ added: number; total: number }> {
    const existing = new Set<string>();
    const filter = `${this.partitionFilter(jobId)} and RowKey ge '${RECIPIENT}' and RowKey lt '${RECIPIENT_END}'`;
    for await (const entity of this.client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      existing.add(String(entity.rowKey));
    }
    const missing = recipients.map((row) => recipientEntity(jobId, row)).filter(({ entity }) => !existing.has(entity.rowKey));

    const batches: TableEntity<Row>[][] = [];
    let batch: TableEntity<Row>[] = [];
    let bytes = 0;
    for (const { entity, bytes: size } of missing) {
      if (batch.length > 0 && (batch.length >= TRANSACTION_ROWS || bytes + size > TRANSACTION_BYTES)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(entity);
      bytes += size;
    }
    if (batch.length > 0) batches.push(batch);

    const added = await mapBounded(batches, 4, async (entities) => {
      try {
        await this.client.submitTransaction(entities.map((entity): TransactionAction => ['create', entity]));
        return entities.length;
      } catch (error) {
        // Another enqueue of the same job inserted some of these meanwhile: insert one by one, skipping those.
        if (restStatus(error) !== 409) throw error;
        const inserted = await mapBounded(entities, PARALLEL_WRITES, async (entity) => {
          try {
            await this.client.createEntity(entity);
            return 1;
          } catch (single) {
            if (restStatus(single) === 409) return 0;
            throw single;
          }
        });
        return inserted.reduce<number>((sum, n) => sum + n, 0);
      }
    });
    const count = added.reduce<number>((sum, n) => sum + n, 0);
    return { added: count, total: existing.size + count };
  }

  async sealJob(jobId: string, seal: { total: number; reopen: boolean }, at: Date): Promise<DeliveryJobRecord> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const stored = await this.getJob(jobId);
      if (!stored) throw new AppError('NOT_FOUND', 'The delivery job vanished while being enqueued', { jobId });
      const changes: Partial<DeliveryJobRecord> = { enqueuingUntil: at.toISOString(), recipients: seal.total, updatedAt: at.toISOString() };
      if (seal.reopen && stored.job.status === 'done') changes.status = 'open';
      if (await this.mergeJob(jobId, changes, stored.eTag)) {
        const job = { ...stored.job, ...changes };
        if (job.status === 'open') {
          // Back in the index, in case a sender closed the entry while this enqueue ran.
          await this.client.upsertEntity(
            { partitionKey: OPEN, rowKey: escapeKey(jobId), jobId, tenantId: job.tenantId, kind: job.kind, openedAt: at.toISOString() },
            'Replace',
          );
        }
        return job;
      }
    }
    throw new AppError('CONFLICT', 'The delivery job kept changing while being sealed', { jobId });
  }

  async reopenJob(jobId: string, eTag: string, at: Date): Promise<boolean> {
    return this.mergeJob(jobId, { status: 'open', updatedAt: at.toISOString() }, eTag);
  }

  async getJob(jobId: string): Promise<StoredJob | undefined> {
    try {
      const entity = await this.client.getEntity<Record<string, unknown>>(jobPartition(jobId), JOB_ROW);
      return { job: jobFromEntity(entity), eTag: entity.etag };
    } catch (error) {
      if (restStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async listOpenJobs(): Promise<OpenJobEntry[]> {
    const entries: OpenJobEntry[] = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${OPEN}` } })) {
      entries.push({ ...openEntrySchema.parse(withoutSystemFields(entity)), eTag: entity.etag });
    }
    return entries;
  }

  async findClaimable(jobId: string, now: Date, limit: number): Promise<StoredRecipient[]> {
    const at = now.toISOString();
    const filter =
      `${this.partitionFilter(jobId)} and RowKey ge '${RECIPIENT}' and RowKey lt '${RECIPIENT_END}' and (` +
      odata`status eq 'pending' or (status eq 'retrying' and nextAttemptAt le ${at}) or (status eq 'sending' and claimExpiresAt lt ${at})` +
      ')';
    const rows: StoredRecipient[] = [];
    // A filtered read may answer with short (even empty) pages and a continuation; read on until enough.
    for await (const page of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: limit })) {
      for (const entity of page) rows.push({ record: recipientFromEntity(jobId, entity), eTag: entity.etag });
      if (rows.length >= limit) break;
    }
    return rows.slice(0, limit);
  }

  async updateMany(items: { row: StoredRecipient; changes: RecipientChanges }[]): Promise<(StoredRecipient | undefined)[]> {
    const results: (StoredRecipient | undefined)[] = [];
    const byPartition = new Map<string, number[]>();
    items.forEach((item, index) => {
      const partition = jobPartition(item.row.record.jobId);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), index]);
    });
    for (const indexes of byPartition.values()) {
      for (let start = 0; start < indexes.length; start += TRANSACTION_ROWS) {
        const chunk = indexes.slice(start, start + TRANSACTION_ROWS).map((index) => ({ index, item: items[index]! }));
        try {
          const response = await this.client.submitTransaction(
            chunk.map(({ item }): TransactionAction => ['update', this.changeEntity(item.row.record, item.changes), 'Merge', { etag: item.row.eTag }]),
          );
          chunk.forEach(({ index, item }, position) => {
            const eTag = response.subResponses[position]?.etag;
            results[index] = eTag ? { record: { ...item.row.record, ...item.changes }, eTag } : undefined;
          });
        } catch (error) {
          // One row changed (another sender claimed it): the transaction did nothing; try each row alone.
          if (!isStale(error)) throw error;
          const single = await mapBounded(chunk, PARALLEL_WRITES, async ({ item }) => {
            try {
              return await this.update(item.row, item.changes);
            } catch (failure) {
              if (isAppError(failure, 'STALE')) return undefined;
              throw failure;
            }
          });
          chunk.forEach(({ index }, position) => {
            results[index] = single[position];
          });
        }
      }
    }
    return results;
  }

  async update(row: StoredRecipient, changes: RecipientChanges): Promise<StoredRecipient> {
    try {
      const result = await this.client.updateEntity(this.changeEntity(row.record, changes), 'Merge', { etag: row.eTag });
      return { record: { ...row.record, ...changes }, eTag: result.etag ?? '' };
    } catch (error) {
      if (isStale(error)) throw new AppError('STALE', 'The outbox row changed since it was read', { jobId: row.record.jobId });
      throw error;
    }
  }

  async getRecipient(jobId: string, key: string): Promise<StoredRecipient | undefined> {
    try {
      const entity = await this.client.getEntity<Record<string, unknown>>(jobPartition(jobId), recipientRowKey(key));
      return { record: recipientFromEntity(jobId, entity), eTag: entity.etag };
    } catch (error) {
      if (restStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async listRecipients(jobId: string): Promise<RecipientRecord[]> {
    const filter = `${this.partitionFilter(jobId)} and RowKey ge '${RECIPIENT}' and RowKey lt '${RECIPIENT_END}'`;
    const rows: RecipientRecord[] = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      rows.push(recipientFromEntity(jobId, entity));
    }
    return rows;
  }

  async failedRecipients(jobId: string): Promise<{ key: string; failureReason?: string }[]> {
    const filter = `${this.partitionFilter(jobId)} and RowKey ge '${RECIPIENT}' and RowKey lt '${RECIPIENT_END}' and status eq 'failed'`;
    const failed: { key: string; failureReason?: string }[] = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['key', 'failureReason'] } })) {
      const key = z.string().parse(entity.key);
      failed.push(typeof entity.failureReason === 'string' ? { key, failureReason: entity.failureReason } : { key });
    }
    return failed;
  }

  async countStatuses(jobId: string): Promise<StatusCounts> {
    const counts: StatusCounts = { total: 0, pending: 0, retrying: 0, sending: 0, sent: 0, failed: 0, failedByReason: {} };
    const filter = `${this.partitionFilter(jobId)} and RowKey ge '${RECIPIENT}' and RowKey lt '${RECIPIENT_END}'`;
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['status', 'failureReason'] } })) {
      const status = z.enum(RECIPIENT_STATUSES).parse(entity.status);
      counts.total += 1;
      counts[status] += 1;
      if (status === 'failed') {
        const reason = typeof entity.failureReason === 'string' ? entity.failureReason : 'Unknown';
        counts.failedByReason[reason] = (counts.failedByReason[reason] ?? 0) + 1;
      }
    }
    return counts;
  }

  async completeJob(jobId: string, eTag: string, counts: StatusCounts, at: Date): Promise<boolean> {
    return this.mergeJob(
      jobId,
      {
        status: 'done',
        completedAt: at.toISOString(),
        updatedAt: at.toISOString(),
        recipients: counts.total,
        sent: counts.sent,
        failed: counts.failed,
        failedByReason: counts.failedByReason,
      },
      eTag,
    );
  }

  async closeOpenEntry(entry: OpenJobEntry): Promise<void> {
    try {
      await this.client.deleteEntity(OPEN, escapeKey(entry.jobId), { etag: entry.eTag });
    } catch (error) {
      if (!isStale(error)) throw error;
    }
  }

  async takeTenantLease(tenantId: string, owner: string, until: Date, now: Date): Promise<TenantLease | undefined> {
    const fields = { tenantId, owner, expiresAt: until.toISOString() };
    const entity = { partitionKey: LEASE, rowKey: escapeKey(tenantId), ...fields };
    let current: { lease: z.infer<typeof leaseSchema>; eTag: string } | undefined;
    try {
      const stored = await this.client.getEntity<Record<string, unknown>>(LEASE, escapeKey(tenantId));
      current = { lease: leaseSchema.parse(withoutSystemFields(stored)), eTag: stored.etag };
    } catch (error) {
      if (restStatus(error) !== 404) throw error;
    }
    try {
      if (!current) {
        const created = await this.client.createEntity(entity);
        return { ...fields, eTag: created.etag ?? '' };
      }
      const { lease } = current;
      const free = lease.owner === '' || Date.parse(lease.expiresAt) <= now.getTime();
      if (lease.owner !== owner && !free) return undefined;
      const replaced = await this.client.updateEntity(entity, 'Replace', { etag: current.eTag });
      return { ...fields, eTag: replaced.etag ?? '', ...(lease.owner !== owner ? { previousHolderUntil: lease.expiresAt } : {}) };
    } catch (error) {
      // Another sender took or renewed it between the read and the write.
      if (restStatus(error) === 409 || isStale(error)) return undefined;
      throw error;
    }
  }

  async releaseTenantLease(lease: TenantLease, at: Date): Promise<void> {
    // Kept with no owner and the moment it ended, so the next holder knows how recently requests went out.
    try {
      await this.client.updateEntity(
        { partitionKey: LEASE, rowKey: escapeKey(lease.tenantId), tenantId: lease.tenantId, owner: '', expiresAt: at.toISOString() },
        'Replace',
        { etag: lease.eTag },
      );
    } catch (error) {
      if (!isStale(error)) throw error;
    }
  }

  private partitionFilter(jobId: string): string {
    return odata`PartitionKey eq ${jobPartition(jobId)}`;
  }

  private jobEntity(job: DeliveryJobRecord): TableEntity<Row> {
    return { ...this.jobFields(job), partitionKey: jobPartition(job.id), rowKey: JOB_ROW };
  }

  private jobFields(job: Partial<DeliveryJobRecord>): Row {
    const { reportTo, failedByReason, ...rest } = job;
    return definedFields({
      ...rest,
      reportTo: reportTo === undefined ? undefined : JSON.stringify(reportTo),
      failedByReason: failedByReason === undefined ? undefined : JSON.stringify(failedByReason),
    });
  }

  /** Merges changes into the job row if it still has `eTag`; false when it changed. */
  private async mergeJob(jobId: string, changes: Partial<DeliveryJobRecord>, eTag: string): Promise<boolean> {
    try {
      await this.client.updateEntity({ ...this.jobFields(changes), partitionKey: jobPartition(jobId), rowKey: JOB_ROW }, 'Merge', { etag: eTag });
      return true;
    } catch (error) {
      if (isStale(error)) return false;
      throw error;
    }
  }

  private changeEntity(record: RecipientRecord, changes: RecipientChanges): TableEntity<Row> {
    return { ...definedFields(changes), partitionKey: jobPartition(record.jobId), rowKey: recipientRowKey(record.key) };
  }
}
