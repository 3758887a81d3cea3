import { z } from 'zod';

/**
 * Uppföljning: a follow-up round of a målsamtal. The owner of the målsamtal
 * (its school's principal; for the principals' målsamtal a manager) starts
 * a round, at once or on a day planned ahead; everyone who confirmed goals
 * in the målsamtal answers one card per goal in 1:1: how far they have come
 * (1–5), what has worked, what the students show, what they will do next
 * and what support they need. Drafts are kept; one confirm per goal; the
 * answers can be changed until the round closes. The stored shapes (zod)
 * and the rules on them; the analysis is in followUpAnalysis.ts.
 */

/** The five steps of progress; their words are in src/i18n/followUp.ts. */
export const PROGRESS_STEPS = [1, 2, 3, 4, 5] as const;
export type Progress = (typeof PROGRESS_STEPS)[number];

/** Each text answer is kept up to this many characters; a longer one is refused. */
export const MAX_FOLLOW_UP_TEXT = 2000;
export const MAX_UNIT_CHARS = 40;
export const MAX_ROUND_TITLE = 100;

const person = { aadObjectId: z.string(), userId: z.string(), name: z.string() };

export const roundSchema = z.object({
  /** The start form's id (formIds.ts), so the same form submitted twice creates one round. */
  id: z.string(),
  tenantId: z.string(),
  dialogueId: z.string(),
  /** The målsamtal's unit: a school, or the organisation level (ORGANISATION_UNIT_ID). */
  schoolId: z.string(),
  /** The läsår (organisation file's id) the round belongs to: rounds are compared within it and across years. */
  schoolYear: z.string(),
  title: z.string().min(1).max(MAX_ROUND_TITLE),
  /** Set when the owner kept the suggested title: each reader sees it in their own language. */
  term: z.object({ term: z.enum(['HT', 'VT']), year: z.number().int() }).optional(),
  /** The day a planned round opens (local date); absent for a round started at once. */
  startsOn: z.string().optional(),
  /** The last day to answer (local date, the school's time zone). */
  lastDay: z.string(),
  reminders: z.boolean(),
  /**
   * A resultatdialog: a round of the principals' målsamtal whose principals
   * also answer, per indicator of their school, what the results show,
   * likely causes and actions (resultDialogue.ts). Chosen in the start form.
   */
  resultDialogue: z.boolean().optional(),
  /** `cancelled`: the owner called off a planned round before it opened (followUpRounds.ts); it never opens. */
  status: z.enum(['planned', 'open', 'closed', 'cancelled']),
  owner: z.object(person),
  /**
   * Who answers, fixed when the round opens: each participant of the
   * målsamtal who had confirmed goals, with each goal's number (1-based, as
   * check-in answers name it: `<dialogueId>:<n>`) and the school goals it
   * serves. The goal text stays in the målsamtal.
   */
  participants: z.array(z.object({ ...person, goals: z.array(z.object({ number: z.number().int().min(1), schoolGoalIds: z.array(z.string()) })) })),
  createdAt: z.string(),
  openedAt: z.string().optional(),
  closedAt: z.string().optional(),
  cancelledAt: z.string().optional(),
});
export type Round = z.infer<typeof roundSchema>;
export type RoundParticipant = Round['participants'][number];

/** One teacher's answer on one of her goals: a draft until she confirms it. */
export const responseSchema = z.object({
  roundId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  goalNumber: z.number().int().min(1),
  progress: z.number().int().min(1).max(5).optional(),
  worked: z.string().default(''),
  evidence: z.string().default(''),
  /** An optional number the students show (e.g. 18) and its unit (e.g. "av 24 elever"). */
  evidenceValue: z.number().optional(),
  evidenceUnit: z.string().default(''),
  next: z.string().default(''),
  support: z.string().default(''),
  status: z.enum(['draft', 'confirmed']),
  updatedAt: z.string(),
  confirmedAt: z.string().optional(),
});
export type Response = z.infer<typeof responseSchema>;

/** What a goal card sends (Input.* values are strings). */
export const responseFormSchema = z.object({
  roundId: z.string().min(1),
  goal: z.coerce.number().int().min(1),
  progress: z.string().default(''),
  worked: z.string().default(''),
  evidence: z.string().default(''),
  evidenceValue: z.string().default(''),
  evidenceUnit: z.string().default(''),
  next: z.string().default(''),
  support: z.string().default(''),
});
export type ResponseForm = z.infer<typeof responseFormSchema>;

export type ResponseProblem = 'progress' | 'worked' | 'next' | 'tooLong' | 'evidenceValue';

/**
 * The form's values as a response, or what is wrong with them. A draft may
 * be incomplete; a confirm needs the progress, what has worked and the next
 * step. Nothing is stored from a form with a problem.
 */
export function checkResponse(
  form: ResponseForm,
  confirm: boolean,
): { values: Pick<Response, 'progress' | 'worked' | 'evidence' | 'evidenceValue' | 'evidenceUnit' | 'next' | 'support'> } | { problems: ResponseProblem[] } {
  const problems: ResponseProblem[] = [];
  const texts = [form.worked, form.evidence, form.next, form.support];
  if (texts.some((text) => text.length > MAX_FOLLOW_UP_TEXT) || form.evidenceUnit.length > MAX_UNIT_CHARS) problems.push('tooLong');
  const progress = form.progress.trim() === '' ? undefined : Number(form.progress);
  if (progress !== undefined && !PROGRESS_STEPS.includes(progress as Progress)) problems.push('progress');
  const number = form.evidenceValue.trim().replace(',', '.');
  const evidenceValue = number === '' ? undefined : Number(number);
  if (evidenceValue !== undefined && !Number.isFinite(evidenceValue)) problems.push('evidenceValue');
  if (confirm) {
    if (progress === undefined && !problems.includes('progress')) problems.push('progress');
    if (!form.worked.trim()) problems.push('worked');
    if (!form.next.trim()) problems.push('next');
  }
  if (problems.length > 0) return { problems };
  return {
    values: {
      ...(progress !== undefined ? { progress } : {}),
      worked: form.worked.trim(),
      evidence: form.evidence.trim(),
      ...(evidenceValue !== undefined ? { evidenceValue } : {}),
      evidenceUnit: form.evidenceUnit.trim(),
      next: form.next.trim(),
      support: form.support.trim(),
    },
  };
}

/** What the owner's start form sends. */
export const roundFormSchema = z.object({
  formId: z.string().optional(),
  title: z.string().default(''),
  dialogueId: z.string().default(''),
  startsOn: z.string().default(''),
  lastDay: z.string().default(''),
  reminders: z.string().default('true'),
  /** 'true': a resultatdialog; only a round of the principals' målsamtal becomes one. */
  resultDialogue: z.string().default('false'),
});
export type RoundForm = z.infer<typeof roundFormSchema>;

export type RoundProblem = 'title' | 'dialogue' | 'startsOn' | 'lastDay' | 'noGoals';

/** Whether a round has opened (open or closed): a planned or cancelled round has no answers to analyse or compare with. */
export function hasOpened(round: { status: Round['status'] }): boolean {
  return round.status === 'open' || round.status === 'closed';
}

/** Whether a teacher has confirmed every goal of hers in the round. */
export function isDone(participant: RoundParticipant, responses: readonly Response[]): boolean {
  const confirmed = new Set(responses.filter((r) => r.aadObjectId === participant.aadObjectId && r.status === 'confirmed').map((r) => r.goalNumber));
  return participant.goals.every((goal) => confirmed.has(goal.number));
}

/** The round's counts for the channel: how many have followed up all their goals. Nothing else. */
export function roundCounts(round: Round, responses: readonly Response[]): { done: number; total: number } {
  return { done: round.participants.filter((p) => isDone(p, responses)).length, total: round.participants.length };
}

/** The id a check-in answer uses for a teacher's goal in a målsamtal: unique only with the teacher (every teacher has a goal 1). */
export function reflectionGoalId(dialogueId: string, goalNumber: number): string {
  return `${dialogueId}:${goalNumber}`;
}

/** How the analysis counts reflections: per teacher and goal. */
export function reflectionKey(aadObjectId: string, goalId: string): string {
  return `${aadObjectId}|${goalId}`;
}

/** A principal's analysis of one goal for the läsår: what the results show, why, what the school will do. Every save is a version. */
export const schoolAnalysisSchema = z.object({
  schoolId: z.string(),
  schoolYear: z.string(),
  goalId: z.string(),
  version: z.number().int().min(1),
  roundId: z.string().optional(),
  shows: z.string().max(MAX_FOLLOW_UP_TEXT),
  why: z.string().max(MAX_FOLLOW_UP_TEXT),
  actions: z.string().max(MAX_FOLLOW_UP_TEXT),
  writtenBy: z.string(),
  writtenAt: z.string(),
});
export type SchoolAnalysis = z.infer<typeof schoolAnalysisSchema>;

export const schoolAnalysisFormSchema = z.object({
  roundId: z.string().min(1),
  goalId: z.string().min(1),
  /** The version the form was made with (0: none yet): a form made before another save is stale. */
  version: z.coerce.number().int().min(0),
  shows: z.string().default(''),
  why: z.string().default(''),
  actions: z.string().default(''),
});
