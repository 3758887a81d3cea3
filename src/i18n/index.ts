import { en } from './en';
import { sv } from './sv';

export type Strings = typeof sv;
export type Language = 'sv' | 'en';

const byLanguage: Record<Language, Strings> = { sv, en };

/**
 * The language of a turn: English when the user's Teams speaks English,
 * otherwise the configured default (Swedish unless set otherwise).
 */
export function languageOf(locale: string | undefined, defaultLocale: string): Language {
  const candidate = (locale || defaultLocale).toLowerCase();
  if (candidate.startsWith('en')) return 'en';
  if (candidate.startsWith('sv')) return 'sv';
  return defaultLocale.toLowerCase().startsWith('en') ? 'en' : 'sv';
}

export function stringsFor(language: Language): Strings {
  return byLanguage[language];
}
