import type { Question } from '../domain/learningGroup';
import { UNIT_QUESTION_ID } from '../domain/learningGroupNetwork';
import { en } from './en';
import { overlay, principalsLevelGoals } from './principalsLevel';
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

/** Names as one phrase: "A, B och C" / "A, B and C". */
export function listOf(names: readonly string[], language: Language): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(names);
}

/** Where a målsamtal is held: with a school's teachers, or one level up with the principals. */
export type DialogueLevel = 'school' | 'organisation';

const principalsLevel: Record<Language, Strings> = {
  sv: { ...sv, goals: overlay(sv.goals, principalsLevelGoals.sv) },
  en: { ...en, goals: overlay(en.goals, principalsLevelGoals.en) },
};

/** The strings of a målsamtal at its level (the principals' one speaks of the school's goals and the overarching goals). */
export function stringsForLevel(strings: Strings, level: DialogueLevel): Strings {
  if (level === 'school') return strings;
  return strings === sv ? principalsLevel.sv : strings === en ? principalsLevel.en : { ...strings, goals: overlay(strings.goals, principalsLevelGoals.sv) };
}

/** A learning group's check-in questions until its facilitator changes them, in the group's language. */
export function defaultCheckInQuestions(language: Language, options: { acrossSchools?: boolean } = {}): { before: Question[]; after: Question[] } {
  const q = byLanguage[language].groups.questions;
  // A group across schools first asks what each member has done at their own unit since the last meeting.
  const atUnit: Question[] = options.acrossSchools
    ? [{ id: UNIT_QUESTION_ID, kind: 'text', label: byLanguage[language].network.unitQuestion, required: true }]
    : [];
  return {
    before: [
      ...atUnit,
      { id: 'tried', kind: 'text', label: q.before.tried, required: true },
      { id: 'happened', kind: 'text', label: q.before.happened, required: true },
      { id: 'evidence', kind: 'text', label: q.before.evidence, required: false },
      { id: 'ask', kind: 'text', label: q.before.ask, required: false },
    ],
    after: [
      { id: 'plan', kind: 'text', label: q.after.plan, required: true },
      { id: 'lookFor', kind: 'text', label: q.after.lookFor, required: true },
      { id: 'useful', kind: 'rating', label: q.after.useful, required: true },
      { id: 'support', kind: 'text', label: q.after.support, required: false },
      { id: 'goal', kind: 'goal', label: q.after.goal, required: false },
    ],
  };
}
