import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import { type JobRecord, jobRecordSchema, type ScheduleRepository, type StoredScheduledJob, type WakeEntry } from '../scheduler/jobs';
import { escapeKey } from './tableKeys';
import { isStale, restStatus, withoutSystemFields } from './tables';

/**
 * The scheduler's jobs in one partition of their own table, two kinds of row:
 *
 *   job|<id>               the job itself (point read by id: schedule, cancel)
 *   wake|<wakeAt>|<id>     an index entry while the job needs a look at wakeAt
 *
 * Why one partition rather than a partition per due day or hour: an
 * entity-group transaction is atomic only within one partition, and every
 * change of a job (claim, retry, finish, reschedule) moves its index entry in
 * the same transaction, conditioned on the job row's ETag. So the index can
 * never disagree with the job, and two instances racing for a job cannot both
 * win. "What is due" is then one range read on RowKey
 * (`wake|` ≤ RowKey < `wake|<now>}`), earliest first, that touches only
 * jobs needing attention however many finished jobs the table keeps. ISO
 * UTC times all have the same length, so they sort as text; `}` sorts right
 * after `|`, which ends the time in a key. A partition serves about 2,000
 * entities a second, far more than a school's schedule needs (a job that
 * fans out to many teachers hands them to the outbox, which has its own
 * table).
 */
const PARTITION = 'jobs';
const JOB = 'job|';
const WAKE = 'wake|';

const wakeSchema = z.object({ jobId: z.string(), wakeAt: z.string() });

type Row = Record<string, string | number | boolean>;

function jobKey(id: string): string {
  return escapeKey(JOB + id);
}

function wakeKey(wakeAt: string, id: string): string {
  return escapeKey(`${WAKE}${wakeAt}|${id}`);
}

function jobEntity(job: JobRecord): TableEntity<Row> {
  const row: Row = {};
  for (const [name, value] of Object.entries(job)) {
    if (value !== undefined) row[name] = value;
  }
  return { ...row, partitionKey: PARTITION, rowKey: jobKey(job.id) };
}

function wakeEntity(job: JobRecord & { wakeAt: string }): TableEntity<Row> {
  return { partitionKey: PARTITION, rowKey: wakeKey(job.wakeAt, job.id), jobId: job.id, wakeAt: job.wakeAt };
}

function hasWake(job: JobRecord): job is JobRecord & { wakeAt: string } {
  return job.wakeAt !== undefined;
}

export class ScheduleTable implements ScheduleRepository {
  constructor(private readonly client: TableClient) {}

  async get(id: string): Promise<StoredScheduledJob | undefined> {
    try {
      const entity = await this.client.getEntity<Record<string, unknown>>(PARTITION, jobKey(id));
      return { job: jobRecordSchema.parse(withoutSystemFields(entity)), eTag: entity.etag };
    } catch (error) {
      if (restStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async create(job: JobRecord): Promise<StoredScheduledJob> {
    const actions: TransactionAction[] = [['create', jobEntity(job)]];
    if (hasWake(job)) actions.push(['create', wakeEntity(job)]);
    try {
      return { job, eTag: await this.submit(actions) };
    } catch (error) {
      if (restStatus(error) === 409) throw new AppError('CONFLICT', 'A job with this id exists');
      throw error;
    }
  }

  async replace(previous: StoredScheduledJob, next: JobRecord): Promise<StoredScheduledJob> {
    if (next.id !== previous.job.id) throw new AppError('INVALID_INPUT', 'A job cannot change its id');
    const actions: TransactionAction[] = [['update', jobEntity(next), 'Replace', { etag: previous.eTag }]];
    if (previous.job.wakeAt !== next.wakeAt) {
      if (hasWake(previous.job)) actions.push(['delete', { partitionKey: PARTITION, rowKey: wakeKey(previous.job.wakeAt, previous.job.id) }]);
      if (hasWake(next)) actions.push(['create', wakeEntity(next)]);
    }
    return { job: next, eTag: await this.submitConditioned(actions) };
  }

  async wakeable(now: Date, limit: number, after?: Pick<WakeEntry, 'id' | 'wakeAt'>): Promise<WakeEntry[]> {
    const end = `${WAKE}${now.toISOString()}}`;
    const filter = after
      ? odata`PartitionKey eq ${PARTITION} and RowKey gt ${wakeKey(after.wakeAt, after.id)} and RowKey lt ${end}`
      : odata`PartitionKey eq ${PARTITION} and RowKey ge ${WAKE} and RowKey lt ${end}`;
    const pages = this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: limit });
    const entries: WakeEntry[] = [];
    for await (const page of pages) {
      for (const entity of page) {
        const wake = wakeSchema.parse(withoutSystemFields(entity));
        entries.push({ id: wake.jobId, wakeAt: wake.wakeAt, eTag: entity.etag });
        if (entries.length >= limit) return entries;
      }
    }
    return entries;
  }

  async dropWakeEntry(entry: WakeEntry): Promise<void> {
    try {
      await this.client.deleteEntity(PARTITION, wakeKey(entry.wakeAt, entry.id), { etag: entry.eTag });
    } catch (error) {
      if (!isStale(error)) throw error;
    }
  }

  /** Runs the actions as one transaction; the first is the job row's, whose new ETag is returned. */
  private async submit(actions: TransactionAction[]): Promise<string> {
    const response = await this.client.submitTransaction(actions);
    return response.subResponses[0]?.etag ?? '';
  }

  private async submitConditioned(actions: TransactionAction[]): Promise<string> {
    try {
      return await this.submit(actions);
    } catch (error) {
      // 409: the wake entry the transaction creates exists, so the job was moved meanwhile.
      if (isStale(error) || restStatus(error) === 409) throw new AppError('STALE', 'The job changed or vanished since it was read');
      throw error;
    }
  }
}
