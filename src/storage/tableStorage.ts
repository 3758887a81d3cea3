import { createHash } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { joinParts, PART_BYTES, splitIntoParts } from './chunks';
import { ensureTable, restStatus, tableClient } from './tables';
import { escapeKey } from './tableKeys';

/**
 * botbuilder's `Storage` for turn state, kept in one Azure Table.
 *
 * The class matches botbuilder's `Storage` interface structurally, so this
 * folder does not import botbuilder (only src/bot/ does). It behaves like
 * botbuilder's own MemoryStorage and BlobsStorage:
 *
 * - unknown keys read as absent; empty reads, writes and deletes do nothing;
 *   deleting an unknown key is harmless;
 * - no eTag or eTag `*` overwrites; any other eTag must be the current one,
 *   or the write fails with `TurnStateStorageError` code 'ETAG_CONFLICT';
 *   an eTag for a key that does not exist yet creates it;
 * - every item read carries its current eTag, and an eTag given to `write`
 *   is never stored with the value;
 * - any key of up to MAX_TURN_STATE_KEY_LENGTH characters round-trips.
 *
 * Layout: one entity per key. PartitionKey is the escaped key, RowKey is ''.
 * botbuilder only ever reads, writes and deletes whole items by key, so a
 * point operation on (PartitionKey, RowKey) is all it needs; giving every
 * key its own partition spreads load, and no operation spans two keys.
 *
 * The value is stored as UTF-8 JSON split over binary properties of one
 * entity (chunks.ts), so a write of even the largest value is a single
 * request: atomic and checked against the entity's ETag.
 */

/** The binary properties holding the value: value0, value1, … */
const VALUE_PARTS = 'value';

/**
 * Number of binary properties a value may use. Table Storage counts an
 * entity's binary bytes against its 1 MiB limit, so 15 parts would fit on
 * Azure; Azurite (the embedded store and the tests) counts the request's
 * base64 JSON instead, which is 4/3 larger. 12 parts fit both, with room
 * left for the keys and the stored key of the longest key allowed.
 */
const MAX_PARTS = 12;

/** The largest value `write` accepts: 768,000 bytes of UTF-8 JSON. */
export const MAX_TURN_STATE_VALUE_BYTES = PART_BYTES * MAX_PARTS;

/**
 * The longest key `write` accepts, in UTF-16 code units (JavaScript's
 * `length`). The escaped key is stored in the entity to tell apart keys
 * that share a hashed PartitionKey, and must fit beside the largest value.
 */
export const MAX_TURN_STATE_KEY_LENGTH = 2_048;

/** Table Storage's limit for PartitionKey: 1 KiB of UTF-16. */
const MAX_PARTITION_KEY_LENGTH = 512;
/** Code units of the escaped key kept in front of the hash of a long key. */
const HASHED_KEY_PREFIX_LENGTH = 400;
/**
 * Separates the prefix from the hash. `%` in an escaped key is always
 * followed by two hex digits or by `u`, so `%~` marks a hashed key and no
 * escaped key can be mistaken for one.
 */
const HASH_MARKER = '%~';
const ROW_KEY = '';

export type TurnStateStorageErrorCode = 'ETAG_CONFLICT' | 'VALUE_TOO_LARGE' | 'KEY_TOO_LONG' | 'CORRUPT_ITEM';

/** An expected failure of the turn-state storage, with a code to branch on. */
export class TurnStateStorageError extends Error {
  constructor(
    readonly code: TurnStateStorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TurnStateStorageError';
  }
}

/** botbuilder's StoreItem and StoreItems, declared here to keep botbuilder out of storage/. */
export type StoreItem = { eTag?: string; [key: string]: unknown };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- botbuilder's StoreItems holds `any`; `unknown` would not be assignable to it
export type StoreItems = Record<string, any>;

export interface TableTurnStateStorageOptions {
  connectionString: string;
  tableName: string;
}

/** The fixed properties of a stored entity; the value parts are checked separately. */
const storedEntitySchema = z.object({
  etag: z.string().min(1),
  key: z.string(),
  parts: z.number().int().min(1).max(MAX_PARTS),
});

interface PreparedWrite {
  key: string;
  eTag: string | undefined;
  entity: Record<string, unknown> & { partitionKey: string; rowKey: string };
}

export class TableTurnStateStorage {
  private readonly client: TableClient;
  private tableCreated: Promise<void> | undefined;

  constructor(target: TableTurnStateStorageOptions | TableClient) {
    this.client = target instanceof TableClient ? target : tableClient({ connectionString: target.connectionString, tablePrefix: '' }, target.tableName);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    await this.ensureTable();
    await Promise.all(
      keys.map(async (key) => {
        const item = await this.readOne(key);
        if (item) items[key] = item;
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    // Every item is checked before the first request, so a key or value that
    // is too large fails the whole write and nothing is stored.
    const writes = Object.entries(changes).map(([key, item]) => prepareWrite(key, item as StoreItem));
    if (writes.length === 0) return;
    await this.ensureTable();
    await Promise.all(writes.map((write) => this.writeOne(write)));
  }

  /** Writes one item as `write` does, and returns the ETag it is stored under now (for the next conditioned write). */
  async writeItem(key: string, item: StoreItem): Promise<string> {
    const prepared = prepareWrite(key, item);
    await this.ensureTable();
    return this.writeOne(prepared);
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.ensureTable();
    await Promise.all(
      keys.map(async (key) => {
        try {
          await this.client.deleteEntity(partitionKeyFor(escapeKey(key)), ROW_KEY);
        } catch (error) {
          if (restStatus(error) !== 404) throw error;
        }
      }),
    );
  }

  /** Creates the table on first use, once per instance. */
  private ensureTable(): Promise<void> {
    this.tableCreated ??= ensureTable(this.client).catch((error: unknown) => {
      this.tableCreated = undefined;
      throw error;
    });
    return this.tableCreated;
  }

  private async readOne(key: string): Promise<StoreItem | undefined> {
    const escapedKey = escapeKey(key);
    let entity: Record<string, unknown>;
    try {
      entity = await this.client.getEntity<Record<string, unknown>>(partitionKeyFor(escapedKey), ROW_KEY);
    } catch (error) {
      if (restStatus(error) === 404) return undefined;
      throw error;
    }
    const stored = storedEntitySchema.safeParse(entity);
    if (!stored.success) throw corruptItem(key, stored.error.message);
    // A different key whose hashed PartitionKey is the same: not ours.
    if (stored.data.key !== escapedKey) return undefined;

    const json = joinParts(VALUE_PARTS, entity, stored.data.parts, (index) => corruptItem(key, `part ${index} is missing`));
    const value: unknown = JSON.parse(json.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw corruptItem(key, 'the stored value is not an object');
    }
    return { ...value, eTag: stored.data.etag };
  }

  /** Returns the entity's new ETag. */
  private async writeOne({ key, eTag, entity }: PreparedWrite): Promise<string> {
    if (eTag === undefined || eTag === '' || eTag === '*') {
      return newETag(await this.client.upsertEntity(entity, 'Replace'));
    }
    // Table Storage only issues weak ETags and rejects anything else as
    // malformed; such an eTag can never be the current one.
    if (!isTableETag(eTag)) {
      return this.createOrConflict(key, entity);
    }
    try {
      return newETag(await this.client.updateEntity(entity, 'Replace', { etag: eTag }));
    } catch (error) {
      const status = restStatus(error);
      if (status === 412) throw eTagConflict(key);
      if (status !== 404) throw error;
      // Like MemoryStorage: an eTag for a key that does not exist creates it.
      return this.createOrConflict(key, entity);
    }
  }

  /** Creates the entity; if it exists, the caller's eTag cannot be current. */
  private async createOrConflict(key: string, entity: PreparedWrite['entity']): Promise<string> {
    try {
      return newETag(await this.client.createEntity(entity));
    } catch (error) {
      if (restStatus(error) === 409) throw eTagConflict(key);
      throw error;
    }
  }
}

function prepareWrite(key: string, item: StoreItem): PreparedWrite {
  if (key.length > MAX_TURN_STATE_KEY_LENGTH) {
    throw new TurnStateStorageError(
      'KEY_TOO_LONG',
      `Storage: the key starting "${key.slice(0, 40)}" is ${key.length} characters long; the limit is ${MAX_TURN_STATE_KEY_LENGTH}.`,
    );
  }
  const { eTag, ...value } = item;
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  if (json.length > MAX_TURN_STATE_VALUE_BYTES) {
    throw new TurnStateStorageError(
      'VALUE_TOO_LARGE',
      `Storage: the value for "${key}" is ${json.length} bytes of JSON; the limit is ${MAX_TURN_STATE_VALUE_BYTES} bytes.`,
    );
  }

  const escapedKey = escapeKey(key);
  const { parts, count } = splitIntoParts(VALUE_PARTS, json);
  const entity: PreparedWrite['entity'] = { partitionKey: partitionKeyFor(escapedKey), rowKey: ROW_KEY, key: escapedKey, ...parts, parts: count };
  return { key, eTag, entity };
}

/**
 * The escaped key itself when it fits Table Storage's 1 KiB key limit;
 * otherwise its first characters, `%~` and the SHA-256 of the whole escaped
 * key (hashed after escaping, because unpaired surrogates do not survive
 * UTF-8 and distinct keys would hash alike).
 */
export function partitionKeyFor(escapedKey: string): string {
  if (escapedKey.length <= MAX_PARTITION_KEY_LENGTH) return escapedKey;
  let prefixLength = HASHED_KEY_PREFIX_LENGTH;
  // Do not cut a surrogate pair in half.
  if (isHighSurrogate(escapedKey.charCodeAt(prefixLength - 1))) prefixLength--;
  const hash = createHash('sha256').update(escapedKey, 'utf8').digest('hex');
  return `${escapedKey.slice(0, prefixLength)}${HASH_MARKER}${hash}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The ETag a write's response carries (Table Storage always sends one). */
function newETag(response: { etag?: string }): string {
  if (!response.etag) throw new TurnStateStorageError('CORRUPT_ITEM', 'Storage: a write was answered without an ETag.');
  return response.etag;
}

function isTableETag(eTag: string): boolean {
  return /^W\/"[^"]*"$/i.test(eTag);
}

function eTagConflict(key: string): TurnStateStorageError {
  return new TurnStateStorageError('ETAG_CONFLICT', `Storage: error writing "${key}" due to eTag conflict.`);
}

function corruptItem(key: string, reason: string): TurnStateStorageError {
  return new TurnStateStorageError('CORRUPT_ITEM', `Storage: the stored item for "${key}" cannot be read: ${reason}.`);
}
