import { z } from 'zod';
import { MAX_FOLLOW_UP_TEXT, type Round, type RoundForm } from './followUp';
import type { Stored } from './optimistic';
import { dialogueLevel } from './organisation';

/**
 * Resultatdialog: a follow-up round of the principals' målsamtal whose
 * principals, besides following up their goals, answer for each indicator
 * of their school what the results show, the likely causes and the actions;
 * the manager who owns the round reads every school's answers side by side.
 *
 * How a round becomes one: the manager's start form offers "Resultatdialog"
 * (on by default) whenever one of the målsamtal it offers is the
 * principals'. A manager expects to choose: a resultatdialog is a meeting of
 * its own in the year (after the term's results are in), while a goal
 * follow-up in between need not ask for the results again. The choice only
 * counts for a round of the principals' målsamtal; for a school's round
 * (an admin's form lists both) it is ignored, as the label says.
 *
 * A school's answer is the school's, not one person's: a school with two
 * principals has one answer per indicator, which either may write (the
 * last save wins, like a shared draft). The use cases are in
 * resultDialogueService.ts, the storage in src/storage/resultDialogueTable.ts.
 */

/** The round's flag as the start form sets it: only a round of the principals' målsamtal becomes a resultatdialog. */
export function resultDialogueChosen(form: Pick<RoundForm, 'resultDialogue'>, dialogue: { schoolId: string }): { resultDialogue?: true } {
  return form.resultDialogue === 'true' && dialogueLevel(dialogue) === 'organisation' ? { resultDialogue: true } : {};
}

export function isResultDialogue(round: Pick<Round, 'resultDialogue' | 'schoolId'>): boolean {
  return round.resultDialogue === true && dialogueLevel(round) === 'organisation';
}

/** The three questions, in the order the cards ask them. */
export const RESULT_QUESTIONS = ['shows', 'causes', 'actions'] as const;
export type ResultQuestion = (typeof RESULT_QUESTIONS)[number];

/** A school's answer on one indicator: a draft until a principal of the school confirms it. */
export const resultAnswerSchema = z.object({
  roundId: z.string(),
  schoolId: z.string(),
  indicatorId: z.string(),
  shows: z.string().max(MAX_FOLLOW_UP_TEXT),
  causes: z.string().max(MAX_FOLLOW_UP_TEXT),
  actions: z.string().max(MAX_FOLLOW_UP_TEXT),
  status: z.enum(['draft', 'confirmed']),
  /** Who saved it last (a principal of the school). */
  writtenBy: z.object({ aadObjectId: z.string(), name: z.string() }),
  updatedAt: z.string(),
  confirmedAt: z.string().optional(),
});
export type ResultAnswer = z.infer<typeof resultAnswerSchema>;

/** What a principal's indicator card sends (Input.* values are strings; anything else does not parse). */
export const resultAnswerFormSchema = z.object({
  roundId: z.string().min(1),
  schoolId: z.string().min(1),
  indicatorId: z.string().min(1),
  shows: z.string().default(''),
  causes: z.string().default(''),
  actions: z.string().default(''),
});
export type ResultAnswerForm = z.infer<typeof resultAnswerFormSchema>;

export type ResultAnswerProblem = ResultQuestion | 'tooLong';

/**
 * The form's texts, or what is wrong with them: a draft may be incomplete;
 * a confirm needs all three. Nothing is stored from a form with a problem.
 */
export function checkResultAnswer(
  form: ResultAnswerForm,
  confirm: boolean,
): { values: Pick<ResultAnswer, ResultQuestion> } | { problems: ResultAnswerProblem[] } {
  const problems: ResultAnswerProblem[] = [];
  if (RESULT_QUESTIONS.some((question) => form[question].length > MAX_FOLLOW_UP_TEXT)) problems.push('tooLong');
  if (confirm) problems.push(...RESULT_QUESTIONS.filter((question) => form[question].trim() === ''));
  if (problems.length > 0) return { problems };
  return { values: { shows: form.shows.trim(), causes: form.causes.trim(), actions: form.actions.trim() } };
}

/** Where the schools' answers live (src/storage/resultDialogueTable.ts). */
export interface ResultAnswerRepository {
  getAnswer(tenantId: string, roundId: string, schoolId: string, indicatorId: string): Promise<Stored<ResultAnswer> | undefined>;
  /** Without an ETag: insert (STALE when it exists); with one: replace only if unchanged (else STALE). */
  saveAnswer(tenantId: string, answer: ResultAnswer, eTag?: string): Promise<void>;
  /** Every school's answers of the round: one partition read. */
  answers(tenantId: string, roundId: string): Promise<ResultAnswer[]>;
}
