import { RestError, TableClient, type TableEntity, type TableEntityResult, type TableServiceClientOptions, type TransactionAction } from '@azure/data-tables';
import type { z } from 'zod';
import { AppError } from '../domain/errors';
import type { Stored } from '../domain/optimistic';
import { escapeKey } from './tableKeys';

/** An entity-group transaction holds at most 100 operations (and 4 MiB), all in one partition. */
export const TRANSACTION_ROWS = 100;

export interface TableSettings {
  connectionString: string;
  tablePrefix: string;
  /** Told of every request sent to Table Storage (each retry too): how the tests and benchmarks count a turn's requests. */
  onRequest?: (request: TableRequest) => void;
}

/** One request to Table Storage, as the counting hook sees it. */
export interface TableRequest {
  /** The table's name without the prefix. */
  table: string;
  method: string;
}

/** A client for one table; http endpoints are Azurite's. */
export function tableClient(settings: TableSettings, name: string): TableClient {
  const allowInsecureConnection = /TableEndpoint=http:|DefaultEndpointsProtocol=http;/i.test(settings.connectionString);
  return TableClient.fromConnectionString(settings.connectionString, `${settings.tablePrefix}${name}`, {
    allowInsecureConnection,
    additionalPolicies: settings.onRequest ? [countingPolicy(name, settings.onRequest)] : [],
  });
}

type AdditionalPolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number];

/** A pipeline policy that reports each request (each attempt, so a retried request counts twice) before it is sent. */
function countingPolicy(table: string, onRequest: (request: TableRequest) => void): AdditionalPolicy {
  return {
    position: 'perRetry',
    policy: {
      name: 'malbild-request-count',
      sendRequest: (request, next) => {
        onRequest({ table, method: request.method });
        return next(request);
      },
    },
  };
}

export function restStatus(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** A write conditioned on an ETag failed: the row changed (412) or vanished (404) since it was read. */
export function isStale(error: unknown): boolean {
  const status = restStatus(error);
  return status === 412 || status === 404;
}

/**
 * Creates a table unless it exists. The bot's tables are created once, at
 * start, by `openStores` (storage/index.ts); the turn-state storage, usable
 * on its own like botbuilder's providers, calls this on first use.
 */
export async function ensureTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (error) {
    if (restStatus(error) !== 409) throw error;
  }
}

const SYSTEM_FIELDS = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp']);

/** An entity's own properties: without its keys, ETag, timestamp and OData annotations. */
export function withoutSystemFields(entity: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (!SYSTEM_FIELDS.has(name) && !name.startsWith('odata.')) fields[name] = value;
  }
  return fields;
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
    return { value: this.schema.parse(withoutSystemFields(entity)), eTag: entity.etag };
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

  /** Replaces the row only if it still has `eTag`; fails with STALE otherwise. */
  async replace(partitionKey: string, rowKey: string, value: z.infer<Schema>, eTag: string): Promise<string> {
    try {
      const result = await this.client.updateEntity(this.toEntity(partitionKey, rowKey, value), 'Replace', { etag: eTag });
      return result.etag ?? '';
    } catch (error) {
      if (isStale(error)) throw new AppError('STALE', `Row changed or vanished in ${this.client.tableName}`);
      throw error;
    }
  }

  async upsert(partitionKey: string, rowKey: string, value: z.infer<Schema>): Promise<string> {
    const result = await this.client.upsertEntity(this.toEntity(partitionKey, rowKey, value), 'Replace');
    return result.etag ?? '';
  }

  /** Upserts rows of one partition in transactions of up to 100 (the last of rows with the same key wins). */
  async upsertMany(partitionKey: string, rows: readonly { rowKey: string; value: z.infer<Schema> }[]): Promise<void> {
    const entities = [...new Map(rows.map((row) => [row.rowKey, this.toEntity(partitionKey, row.rowKey, row.value)])).values()];
    for (let start = 0; start < entities.length; start += TRANSACTION_ROWS) {
      await this.client.submitTransaction(entities.slice(start, start + TRANSACTION_ROWS).map((entity): TransactionAction => ['upsert', entity, 'Replace']));
    }
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
