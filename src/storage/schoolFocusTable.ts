import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import { SCHOOL_FOCUS_SCHEMAS, type SchoolFocusKind, type SchoolFocusRepository, type SchoolFocusVersion } from '../domain/schoolFocus';
import { escapeKey } from './tableKeys';
import { EntityTable, isStale, restStatus } from './tables';

/**
 * A school's fokusområde and processkarta, versioned.
 *
 * Layout: one partition per school (the school id). The current version of
 * each kind is the row named by the kind ("focusArea", "processMap"); every
 * version, the current one too, is also the row "<kind>|<version, 6 digits>".
 * A save writes both rows in one entity-group transaction (same partition),
 * the current row conditioned on the ETag it was read with: either both are
 * written or neither, so the history never misses a version and never holds
 * one that lost a race. The value is JSON in one string property: the
 * limits (at most 20 steps of at most 1,100 characters; a fokusområde of
 * about 2,300) keep it far below Table Storage's 32 K characters.
 */

const rowSchema = z.object({
  schoolId: z.string(),
  kind: z.enum(['focusArea', 'processMap']),
  version: z.number().int().min(1),
  updatedAt: z.string(),
  updatedBy: z.string(),
  value: z.string(),
});
type Row = z.infer<typeof rowSchema>;

const historyKey = (kind: SchoolFocusKind, version: number) => `${kind}|${String(version).padStart(6, '0')}`;

function toRow(entry: SchoolFocusVersion): Row {
  const { schoolId, kind, version, updatedAt, updatedBy, value } = entry;
  return { schoolId, kind, version, updatedAt, updatedBy, value: JSON.stringify(value) };
}

function fromRow<K extends SchoolFocusKind>(row: Row, kind: K): SchoolFocusVersion<K> {
  const value = SCHOOL_FOCUS_SCHEMAS[kind].parse(JSON.parse(row.value));
  return { schoolId: row.schoolId, kind, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy, value };
}

function entity(rowKey: string, entry: SchoolFocusVersion): TableEntity<Row> {
  return { partitionKey: escapeKey(entry.schoolId), rowKey: escapeKey(rowKey), ...toRow(entry) };
}

export class SchoolFocusTable implements SchoolFocusRepository {
  private readonly rows: EntityTable<typeof rowSchema>;

  constructor(private readonly client: TableClient) {
    this.rows = new EntityTable(client, rowSchema);
  }

  async current<K extends SchoolFocusKind>(schoolId: string, kind: K): Promise<SchoolFocusVersion<K> | undefined> {
    const row = await this.rows.get(schoolId, kind);
    return row ? fromRow(row.value, kind) : undefined;
  }

  async saveVersion<K extends SchoolFocusKind>(entry: SchoolFocusVersion<K>, expectedVersion: number): Promise<void> {
    if (entry.version !== expectedVersion + 1) throw new Error(`version ${entry.version} does not follow ${expectedVersion}`);
    const current = await this.rows.get(entry.schoolId, entry.kind);
    if ((current?.value.version ?? 0) !== expectedVersion) throw new AppError('STALE', `the ${entry.kind} changed since it was read`);
    const write: TransactionAction = current ? ['update', entity(entry.kind, entry), 'Replace', { etag: current.eTag }] : ['create', entity(entry.kind, entry)];
    try {
      await this.client.submitTransaction([write, ['create', entity(historyKey(entry.kind, entry.version), entry)]]);
    } catch (error) {
      // Another save got there first: its current row changed (412), or it created the first version (409).
      if (isStale(error) || restStatus(error) === 409) throw new AppError('STALE', `the ${entry.kind} changed since it was read`);
      throw error;
    }
  }

  async history<K extends SchoolFocusKind>(schoolId: string, kind: K): Promise<SchoolFocusVersion<K>[]> {
    const rows = await this.rows.listPartition(schoolId);
    return rows
      .filter((row) => row.value.kind === kind)
      .map((row) => fromRow(row.value, kind))
      .sort((a, b) => a.version - b.version)
      .filter((entry, index, all) => index === 0 || all[index - 1]!.version !== entry.version);
  }

  async seed(entries: SchoolFocusVersion[]): Promise<void> {
    for (const entry of entries) {
      try {
        await this.client.submitTransaction([
          ['create', entity(entry.kind, entry)],
          ['create', entity(historyKey(entry.kind, entry.version), entry)],
        ]);
      } catch (error) {
        // The school has one already (from an earlier start, perhaps edited in Teams since): kept as it is.
        if (restStatus(error) !== 409) throw error;
      }
    }
  }
}
