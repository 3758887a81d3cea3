import { AppError, isAppError } from './errors';

/**
 * Optimistic concurrency, for every store of the bot: a value is read with
 * its ETag and saved only under that ETag; a save that lost the race fails
 * with STALE, and the caller reads again and repeats.
 */

/** A value as read, with the ETag a conditioned save must carry. */
export interface Stored<T> {
  value: T;
  eTag: string;
}

/** Tries before a value that keeps changing gives up: enough for a handful of turns saving at once. */
const STALE_TRIES = 5;

/**
 * Runs `attempt` (a read, a change and a save under the ETag read) again
 * while it fails with STALE, at most `tries` times; then CONFLICT.
 */
export async function retryOnStale<T>(what: string, attempt: () => Promise<T>, options: { tries?: number } = {}): Promise<T> {
  const tries = options.tries ?? STALE_TRIES;
  for (let round = 0; round < tries; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isAppError(error, 'STALE')) throw error;
    }
  }
  throw new AppError('CONFLICT', `the ${what} kept changing`);
}

/**
 * Reads a stored value, changes a copy and saves it under the ETag it was
 * read with; when another turn saved first (STALE), reads again and repeats.
 * NOT_FOUND when there is nothing to change; CONFLICT when it kept changing.
 */
export function changeStored<T>(
  what: string,
  read: () => Promise<Stored<T> | undefined>,
  save: (value: T, eTag: string) => Promise<void>,
  change: (value: T) => void,
): Promise<T> {
  return retryOnStale(what, async () => {
    const stored = await read();
    if (!stored) throw new AppError('NOT_FOUND', `no such ${what}`);
    const value = structuredClone(stored.value);
    change(value);
    await save(value, stored.eTag);
    return value;
  });
}
