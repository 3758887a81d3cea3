import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import { retryOnStale } from '../domain/optimistic';
import { ownerRangeOf } from '../instanceId';
import { mapBounded } from '../parallel';
import type { NewDeliveryJob } from '../proactive/outbox';
import {
  type DeliveryJobRecord,
  type NewRecipientRow,
  type OpenJobEntry,
  type OutboxRepository,
  RECIPIENT_STATUSES,
  type RecipientChanges,
  type RecipientRecord,
  type RecipientStatusCounts,
  type StoredDeliveryJob,
  type StoredRecipient,
} from '../proactive/outboxRepository';
import {
  inTransactions,
  JOB_ROW,
  jobEntity,
  jobFromEntity,
  jobPartition,
  OPEN,
  openEntryEntity,
  openEntrySchema,
  recipientChangeEntity,
  recipientEntity,
  recipientFromEntity,
  recipientRowKey,
  recipientsFilter,
} from './outboxRows';
import { escapeKey } from './tableKeys';
import { isStale, restStatus, TRANSACTION_ROWS, withoutSystemFields } from './tables';

/**
 * The outbox in one table:
 *
 *   PartitionKey        RowKey        what
 *   job|<jobId>         job           the delivery job (kind, tenant, who started it, final counts)
 *   job|<jobId>         r|<key>       one row per recipient (target, activity, status, claim)
 *   open                <jobId>       the open-jobs index: what senders scan for work
 *   lease               <tenantId>    which sender instance sends for the tenant, until when (tenantLeaseTable.ts)
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
 * up to 64 KB each (`activity0`, `activity1`, …; see chunks.ts).
 *
 * Every change of a recipient row is a Merge conditioned on its ETag, so
 * the large activity is written once and never rewritten. The rows'
 * schemas and mapping are in outboxRows.ts.
 */

/** Transactions of one enqueue sent at once: a job's partition takes them in parallel without throttling. */
const PARALLEL_TRANSACTIONS = 4;
/** Single-row writes at once when a transaction falls back to one row at a time. */
const PARALLEL_WRITES = 8;
/** Reads of the job row before opening or sealing gives up: many enqueues and senders may touch one job at once. */
const JOB_ROW_TRIES = 20;

export class OutboxTable implements OutboxRepository {
  constructor(private readonly client: TableClient) {}

  async openJob(job: NewDeliveryJob, enqueuingUntil: Date, at: Date): Promise<{ job: DeliveryJobRecord; entry: OpenJobEntry }> {
    const record = await retryOnStale('delivery job', () => this.openJobOnce(job, enqueuingUntil, at), { tries: JOB_ROW_TRIES });
    const result = await this.client.upsertEntity(openEntryEntity(record, at), 'Replace');
    return { job: record, entry: { jobId: record.id, tenantId: record.tenantId, kind: record.kind, eTag: result.etag ?? '' } };
  }

  /** Creates the job, or sets the enqueuing lease of the existing one; STALE when it changed (or was created) meanwhile. */
  private async openJobOnce(job: NewDeliveryJob, enqueuingUntil: Date, at: Date): Promise<DeliveryJobRecord> {
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
        await this.client.createEntity(jobEntity(created.id, created));
      } catch (error) {
        if (restStatus(error) === 409) throw new AppError('STALE', 'The delivery job was created meanwhile', { jobId: job.id });
        throw error;
      }
      return created;
    }
    if (stored.job.kind !== job.kind || stored.job.tenantId !== job.tenantId) {
      throw new AppError('CONFLICT', 'A delivery job with this id exists for another kind or tenant', { jobId: job.id });
    }
    const changes = { enqueuingUntil: enqueuingUntil.toISOString(), updatedAt: at.toISOString() };
    await this.mergeJobOrStale(job.id, changes, stored.eTag);
    return { ...stored.job, ...changes };
  }

  async addRecipients(jobId: string, recipients: NewRecipientRow[]): Promise<{ added: number; total: number }> {
    const existing = new Set<string>();
    for await (const entity of this.client.listEntities({ queryOptions: { filter: recipientsFilter(jobId), select: ['RowKey'] } })) {
      existing.add(String(entity.rowKey));
    }
    const missing = recipients.map((row) => recipientEntity(jobId, row)).filter(({ entity }) => !existing.has(entity.rowKey));
    const added = await mapBounded(inTransactions(missing), PARALLEL_TRANSACTIONS, async (entities) => {
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
    const job = await retryOnStale(
      'delivery job',
      async () => {
        const stored = await this.getJob(jobId);
        if (!stored) throw new AppError('NOT_FOUND', 'The delivery job vanished while being enqueued', { jobId });
        const changes: Partial<DeliveryJobRecord> = { enqueuingUntil: at.toISOString(), recipients: seal.total, updatedAt: at.toISOString() };
        if (seal.reopen && stored.job.status === 'done') changes.status = 'open';
        await this.mergeJobOrStale(jobId, changes, stored.eTag);
        return { ...stored.job, ...changes };
      },
      { tries: JOB_ROW_TRIES },
    );
    // Back in the index, in case a sender closed the entry while this enqueue ran.
    if (job.status === 'open') await this.client.upsertEntity(openEntryEntity(job, at), 'Replace');
    return job;
  }

  async reopenJob(jobId: string, eTag: string, at: Date): Promise<boolean> {
    return this.mergeJob(jobId, { status: 'open', updatedAt: at.toISOString() }, eTag);
  }

  async getJob(jobId: string): Promise<StoredDeliveryJob | undefined> {
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

  async findClaimable(jobId: string, now: Date, limit: number, self?: string): Promise<StoredRecipient[]> {
    const at = now.toISOString();
    const previousLives = self === undefined ? undefined : ownerRangeOf(self);
    const reclaim = previousLives
      ? odata` or (status eq 'sending' and claimOwner ge ${previousLives.from} and claimOwner lt ${previousLives.to} and claimOwner ne ${self})`
      : '';
    const filter =
      `${recipientsFilter(jobId)} and (` +
      odata`status eq 'pending' or (status eq 'retrying' and nextAttemptAt le ${at}) or (status eq 'sending' and claimExpiresAt lt ${at})` +
      reclaim +
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
            chunk.map(({ item }): TransactionAction => ['update', recipientChangeEntity(item.row.record, item.changes), 'Merge', { etag: item.row.eTag }]),
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
      const result = await this.client.updateEntity(recipientChangeEntity(row.record, changes), 'Merge', { etag: row.eTag });
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
    const rows: RecipientRecord[] = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter: recipientsFilter(jobId) } })) {
      rows.push(recipientFromEntity(jobId, entity));
    }
    return rows;
  }

  async failedRecipients(jobId: string): Promise<{ key: string; failureReason?: string }[]> {
    const filter = `${recipientsFilter(jobId)} and status eq 'failed'`;
    const failed: { key: string; failureReason?: string }[] = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['key', 'failureReason'] } })) {
      const key = z.string().parse(entity.key);
      failed.push(typeof entity.failureReason === 'string' ? { key, failureReason: entity.failureReason } : { key });
    }
    return failed;
  }

  async countStatuses(jobId: string): Promise<RecipientStatusCounts> {
    const counts: RecipientStatusCounts = { total: 0, pending: 0, retrying: 0, sending: 0, sent: 0, failed: 0, failedByReason: {} };
    const query = { filter: recipientsFilter(jobId), select: ['status', 'failureReason'] };
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: query })) {
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

  async completeJob(jobId: string, eTag: string, counts: RecipientStatusCounts, at: Date): Promise<boolean> {
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

  /** Merges changes into the job row if it still has `eTag`; false when it changed. */
  private async mergeJob(jobId: string, changes: Partial<DeliveryJobRecord>, eTag: string): Promise<boolean> {
    try {
      await this.mergeJobOrStale(jobId, changes, eTag);
      return true;
    } catch (error) {
      if (isAppError(error, 'STALE')) return false;
      throw error;
    }
  }

  /** Merges changes into the job row if it still has `eTag`; STALE when it changed. */
  private async mergeJobOrStale(jobId: string, changes: Partial<DeliveryJobRecord>, eTag: string): Promise<void> {
    try {
      await this.client.updateEntity(jobEntity(jobId, changes), 'Merge', { etag: eTag });
    } catch (error) {
      if (isStale(error)) throw new AppError('STALE', 'The delivery job changed since it was read', { jobId });
      throw error;
    }
  }
}
