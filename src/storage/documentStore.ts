import type { z } from 'zod';
import { AppError } from '../domain/errors';
import type { Stored } from '../domain/optimistic';
import { type TableTurnStateStorage, TurnStateStorageError } from './tableStorage';

/**
 * JSON documents (a teacher's goals can be tens of KB) on the same
 * chunked, ETag-checked entities as turn state, parsed with zod on the way
 * out. Keys are free text (escaped by the storage).
 */
export class DocumentStore {
  constructor(private readonly storage: TableTurnStateStorage) {}

  async get<S extends z.ZodTypeAny>(schema: S, key: string): Promise<Stored<z.infer<S>> | undefined> {
    const items = await this.storage.read([key]);
    const item = items[key] as Record<string, unknown> | undefined;
    if (!item) return undefined;
    const { eTag, ...value } = item;
    return { value: schema.parse(value) as z.infer<S>, eTag: String(eTag) };
  }

  async getMany<S extends z.ZodTypeAny>(schema: S, keys: string[]): Promise<Map<string, Stored<z.infer<S>>>> {
    const items = await this.storage.read(keys);
    const documents = new Map<string, Stored<z.infer<S>>>();
    for (const [key, item] of Object.entries(items) as [string, Record<string, unknown>][]) {
      const { eTag, ...value } = item;
      documents.set(key, { value: schema.parse(value) as z.infer<S>, eTag: String(eTag) });
    }
    return documents;
  }

  /**
   * Writes a document. With `eTag` the write succeeds only if the document is
   * unchanged since it was read (else STALE); without, it overwrites.
   * Returns the document's new ETag.
   */
  async put(key: string, value: object, eTag?: string): Promise<string> {
    try {
      return await this.storage.writeItem(key, { ...value, eTag: eTag ?? '*' });
    } catch (error) {
      if (error instanceof TurnStateStorageError && error.code === 'ETAG_CONFLICT') {
        throw new AppError('STALE', 'The document changed since it was read');
      }
      throw error;
    }
  }

  /** Writes a document only if none exists under the key (else CONFLICT). */
  async create(key: string, value: object): Promise<void> {
    try {
      // An eTag that Table Storage never issues means "must not exist yet".
      await this.storage.write({ [key]: { ...value, eTag: 'create-only' } });
    } catch (error) {
      if (error instanceof TurnStateStorageError && error.code === 'ETAG_CONFLICT') {
        throw new AppError('CONFLICT', 'A document exists under that key');
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.storage.delete([key]);
  }
}
