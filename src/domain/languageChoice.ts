/**
 * The language a person chose for Målbild (`språk engelska`), stored per
 * person and preferred over the language of their Teams. A person who never
 * chose reads Målbild in their Teams' language, as before.
 */

export const LANGUAGES = ['sv', 'en'] as const;
export type ChosenLanguage = (typeof LANGUAGES)[number];

export interface LanguagePreferenceRepository {
  /** The person's choice, or undefined when they never chose; kept in memory after the first read. */
  chosenLanguage(tenantId: string, aadObjectId: string): Promise<ChosenLanguage | undefined>;
  /** What memory knows without asking storage: the choice, null for "never chose", undefined for "not known here". */
  knownLanguage(tenantId: string, aadObjectId: string): ChosenLanguage | null | undefined;
  /** Everyone in the tenant who chose (one read), for messages to many people at once. */
  chosenLanguagesIn(tenantId: string): Promise<Map<string, ChosenLanguage>>;
  saveLanguage(tenantId: string, aadObjectId: string, language: ChosenLanguage, at: Date): Promise<void>;
}

const WORDS: Record<string, ChosenLanguage> = {
  svenska: 'sv',
  swedish: 'sv',
  sv: 'sv',
  engelska: 'en',
  english: 'en',
  en: 'en',
};

/** The language an argument names ("svenska", "English", "en"), or undefined. */
export function parseLanguageChoice(argument: string): ChosenLanguage | undefined {
  return WORDS[argument.trim().toLowerCase()];
}

/** Stores a person's choice; from their next message on, Målbild speaks it to them everywhere. */
export async function chooseLanguage(
  preferences: LanguagePreferenceRepository,
  person: { tenantId: string; aadObjectId: string },
  language: ChosenLanguage,
  at: Date,
): Promise<void> {
  await preferences.saveLanguage(person.tenantId, person.aadObjectId, language, at);
}
