import { type Language, stringsFor } from '../i18n';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

export interface LanguageCardData {
  title: string;
  question: string;
  /** Said after a choice, in the language chosen; empty before. */
  notice: string;
  /** One button per language, its title in that language. */
  choices: { title: string; language: Language }[];
}

export function renderLanguageCard(data: LanguageCardData): AdaptiveCard {
  return expandCard('languageChoice', { ...data, verbs: { choose: VERBS.languageChoose } });
}

const LANGUAGES: readonly Language[] = ['sv', 'en'];

/**
 * `språk` without a choice: a button per language, each named in its own
 * language so that the person can read at least one. After a choice, the
 * card says so in the language chosen.
 */
export function languageChoiceCard(current: Language, chosen?: Language): AdaptiveCard {
  const strings = stringsFor(current).language;
  return renderLanguageCard({
    title: strings.title,
    question: strings.question,
    notice: chosen ? stringsFor(chosen).language.chosen : '',
    choices: LANGUAGES.map((language) => ({ title: stringsFor(language).language.name, language })),
  });
}
