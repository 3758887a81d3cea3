import { RestError, TableClient, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import { AppError } from '../domain/errors';
import { escapeKey } from './tableKeys';

export interface TableSettings {
  connectionString: string;
  tablePrefix: string;
}

/** A client for one table; http endpoints are Azurite's. */
export function tableClient(settings: TableSettings, name: string): TableClient {
  const allowInsecureConnection = /TableEndpoint=http:|DefaultEndpointsProtocol=http;/i.test(settings.connectionString);
  return TableClient.fromConnectionString(settings.connectionString, `${settings.tablePrefix}${name}`, {
    allowInsecureConnection,
  });
}

export function restStatus(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** Creates a table unless it exists. */
export async function ensureTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (error) {
    if (restStatus(error) !== 409) throw error;
  }
}

export interface Stored<T> {
  value: T;
  etag: string;
}

type Row = Record<string, string | number | boolean | Date>;

/**
 * A typed table: rows are parsed with a zod schema on the way out (stored
 * rows outlive the code that wrote them), updates are conditioned on the
 * ETag the caller read (optimistic concurrency). Keys are given as they are
 * and escaped here.
 */
export class EntityTable<Schema extends z.ZodType<Row>> {
  constructor(
    readonly client: TableClient,
    private readonly schema: Schema,
  ) {}

  private toEntity(partitionKey: string, rowKey: string, value: z.infer<Schema>): TableEntity<Row> {
    const row: Row = {};
    for (const [name, field] of Object.entries(value)) {
      if (field !== undefined && field !== null) row[name] = field;
    }
    return { ...row, partitionKey: escapeKey(partitionKey), rowKey: escapeKey(rowKey) };
  }

  private fromEntity(entity: TableEntityResult<Record<string, unknown>>): Stored<z.infer<Schema>> {
    const { partitionKey: _pk, rowKey: _rk, etag, timestamp: _ts, ...fields } = entity;
    for (const key of Object.keys(fields)) {
      if (key.startsWith('odata.')) delete fields[key];
    }
    return { value: this.schema.parse(fields), etag };
  }

  async get(partitionKey: string, rowKey: string): Promise<Stored<z.infer<Schema>> | undefined> {
    try {
      return this.fromEntity(await this.client.getEntity(escapeKey(partitionKey), escapeKey(rowKey)));
    } catch (error) {
      if (restStatus(error) === 404) return undefined;
      throw error;
    }
  }

  /** Fails with CONFLICT when the row exists. */
  async insert(partitionKey: string, rowKey: string, value: z.infer<Schema>): Promise<string> {
    try {
      const result = await this.client.createEntity(this.toEntity(partitionKey, rowKey, value));
      return result.etag ?? '';
    } catch (error) {
      if (restStatus(error) === 409) throw new AppError('CONFLICT', `Row already exists in ${this.client.tableName}`);
      throw error;
    }
  }

  /** Replaces the row only if it still has `etag`; fails with STALE otherwise. */
  async replace(partitionKey: string, rowKey: string, value: z.infer<Schema>, etag: string): Promise<string> {
    try {
      const result = await this.client.updateEntity(this.toEntity(partitionKey, rowKey, value), 'Replace', { etag });
      return result.etag ?? '';
    } catch (error) {
      const status = restStatus(error);
      if (status === 412 || status === 404) throw new AppError('STALE', `Row changed or vanished in ${this.client.tableName}`);
      throw error;
    }
  }

  async upsert(partitionKey: string, rowKey: string, value: z.infer<Schema>): Promise<string> {
    const result = await this.client.upsertEntity(this.toEntity(partitionKey, rowKey, value), 'Replace');
    return result.etag ?? '';
  }

  async delete(partitionKey: string, rowKey: string): Promise<void> {
    try {
      await this.client.deleteEntity(escapeKey(partitionKey), escapeKey(rowKey));
    } catch (error) {
      if (restStatus(error) !== 404) throw error;
    }
  }

  async listPartition(partitionKey: string): Promise<Stored<z.infer<Schema>>[]> {
    const rows: Stored<z.infer<Schema>>[] = [];
    const filter = `PartitionKey eq '${escapeKey(partitionKey).replace(/'/g, "''")}'`;
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      rows.push(this.fromEntity(entity));
    }
    return rows;
  }
}
