import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type ChosenLanguage, LANGUAGES, type LanguagePreferenceRepository } from '../domain/languageChoice';
import { EntityTable } from './tables';

const rowSchema = z.object({ aadObjectId: z.string(), language: z.enum(LANGUAGES), chosenAt: z.string() });

/** How many people's answers (a choice or "never chose") one instance keeps in memory. */
export const LANGUAGE_CACHE_SIZE = 5_000;
/** How long a remembered answer is trusted: another instance may have stored a new choice meanwhile. */
export const LANGUAGE_CACHE_TTL_MS = 10 * 60_000;

interface Remembered {
  language: ChosenLanguage | null;
  until: number;
}

/**
 * People's language choices: partition = tenant id, row = the person's AAD
 * object id, so that a tenant's choices are one partition read for a batch
 * of invitations. Only people who chose have a row.
 *
 * Every turn needs the language, and most people never choose: what was
 * read (a choice, or that there is none) is remembered for
 * LANGUAGE_CACHE_TTL_MS, for at most LANGUAGE_CACHE_SIZE people (the
 * longest unused go first), and a choice made here is written through. So
 * a person costs one read per instance and ten minutes, not one per turn;
 * a choice made on another instance reaches this one within the TTL.
 */
export class LanguagePreferenceTable implements LanguagePreferenceRepository {
  private readonly rows: EntityTable<typeof rowSchema>;
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    client: TableClient,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = new EntityTable(client, rowSchema);
  }

  knownLanguage(tenantId: string, aadObjectId: string): ChosenLanguage | null | undefined {
    const key = cacheKey(tenantId, aadObjectId);
    const entry = this.remembered.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.remembered.delete(key);
      return undefined;
    }
    // Used again: to the back of the line.
    this.remembered.delete(key);
    this.remembered.set(key, entry);
    return entry.language;
  }

  async chosenLanguage(tenantId: string, aadObjectId: string): Promise<ChosenLanguage | undefined> {
    const known = this.knownLanguage(tenantId, aadObjectId);
    if (known !== undefined) return known ?? undefined;
    const row = await this.rows.get(tenantId, aadObjectId);
    this.remember(tenantId, aadObjectId, row?.value.language ?? null);
    return row?.value.language;
  }

  async chosenLanguagesIn(tenantId: string): Promise<Map<string, ChosenLanguage>> {
    const rows = await this.rows.listPartition(tenantId);
    return new Map(rows.map(({ value }) => [value.aadObjectId, value.language]));
  }

  async saveLanguage(tenantId: string, aadObjectId: string, language: ChosenLanguage, at: Date): Promise<void> {
    await this.rows.upsert(tenantId, aadObjectId, { aadObjectId, language, chosenAt: at.toISOString() });
    this.remember(tenantId, aadObjectId, language);
  }

  private remember(tenantId: string, aadObjectId: string, language: ChosenLanguage | null): void {
    const key = cacheKey(tenantId, aadObjectId);
    this.remembered.delete(key);
    this.remembered.set(key, { language, until: this.now() + LANGUAGE_CACHE_TTL_MS });
    if (this.remembered.size > LANGUAGE_CACHE_SIZE) this.remembered.delete(this.remembered.keys().next().value!);
  }
}

function cacheKey(tenantId: string, aadObjectId: string): string {
  return `${tenantId}|${aadObjectId}`;
}
