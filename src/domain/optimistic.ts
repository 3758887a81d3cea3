import { AppError, isAppError } from './errors';
import type { Stored } from './goalDialogueRepository';

const TRIES = 5;

/**
 * Reads a stored value, changes a copy and saves it under the ETag it was
 * read with; when another turn saved first (STALE), reads again and repeats.
 * NOT_FOUND when there is nothing to change; CONFLICT when it kept changing.
 */
export async function changeStored<T>(
  what: string,
  read: () => Promise<Stored<T> | undefined>,
  save: (value: T, eTag: string) => Promise<void>,
  change: (value: T) => void,
): Promise<T> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const stored = await read();
    if (!stored) throw new AppError('NOT_FOUND', `no such ${what}`);
    const value = structuredClone(stored.value);
    change(value);
    try {
      await save(value, stored.eTag);
      return value;
    } catch (error) {
      if (!isAppError(error, 'STALE')) throw error;
    }
  }
  throw new AppError('CONFLICT', `the ${what} kept changing`);
}
