import { z } from 'zod';
import { MAX_MEETINGS, MAX_QUESTIONS, PHASES, type Phase, type Question, questionSchema } from './learningGroup';
import { type GroupForm, groupFormSchema } from './learningGroupFormRules';

/**
 * What the learning-group cards send (Action.Execute data), parsed. A shape
 * that does not parse was not sent by our cards: the bot answers it as
 * invalid input. The group form and the question editor are the
 * exceptions: their values are rules a facilitator can break, answered on
 * the card itself.
 */

/** Check-in ids are built from a group id, a meeting id and a phase; anything longer was not. */
const MAX_CHECK_IN_ID_CHARS = 300;

export const checkInIdSchema = z.string().min(1).max(MAX_CHECK_IN_ID_CHARS);
export const groupRefSchema = z.object({ groupId: z.string().min(1) });
export const editorChoiceSchema = z.object({
  scope: z.string().default('all'),
  phase: z.enum(PHASES).default('before'),
});

/** A card value as text: strings, numbers and booleans as written; anything else (a crafted object) is empty. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A card value as text; absent (undefined or null) stays absent for the form's defaults. */
function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : scalarText(value);
}

/** The group form's choice of no development area (a choice set's value may not be empty). */
export const NO_AREA = 'none';

/** The group form's values: Input.Date values arrive as date0 … dateN. */
export function groupFormOf(data: Record<string, unknown>): GroupForm {
  const dates = Object.keys(data)
    .filter((key) => /^date\d+$/.test(key))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map((key) => scalarText(data[key]));
  return groupFormSchema.parse({
    groupId: text(data.groupId) || undefined,
    formId: text(data.formId) || undefined,
    name: text(data.name),
    kind: text(data.kind),
    subject: text(data.subject),
    grades: text(data.grades),
    facilitator: text(data.facilitator),
    members: text(data.members),
    studentHealth: text(data.studentHealth),
    treatment: text(data.treatment),
    meetingCount: text(data.meetingCount),
    startTime: text(data.startTime),
    endTime: text(data.endTime),
    dates,
    privacy: text(data.privacy),
    beforeLeadHours: text(data.beforeLeadHours),
    reminderLeadHours: text(data.reminderLeadHours),
    crossSchool: text(data.crossSchool),
    area: text(data.area) === NO_AREA ? '' : text(data.area),
  });
}

/**
 * How many meetings to spread: the number asked for, else the kind's
 * default (`fallback`), at least one and at most MAX_MEETINGS.
 */
export function meetingCountOf(form: Pick<GroupForm, 'meetingCount'>, fallback: number): number {
  return Math.max(1, Math.min(MAX_MEETINGS, Number(form.meetingCount) || fallback));
}

/** Which questions the editor showed: "all|before" or "<meeting id>|after". */
export const shownQuestionsSchema = z.unknown().transform((value) => {
  const [scope = 'all', phaseText = 'before'] = scalarText(value).split('|');
  const phase: Phase = phaseText === 'after' ? 'after' : 'before';
  return { scope, phase };
});

/** A check-in's questions as the service stores them. */
export const questionListSchema = z.array(questionSchema).min(1).max(MAX_QUESTIONS);

/**
 * The questions after an edit: labels by position (empty removes), required
 * toggles, one new text question; undefined when the result breaks the
 * rules (none left, more than MAX_QUESTIONS, a label too long).
 */
export function editedQuestions(current: Question[], data: Record<string, unknown>): Question[] | undefined {
  const edited: Question[] = [];
  current.forEach((question, index) => {
    const label = (text(data[`q${index}Label`]) ?? question.label).trim();
    if (!label) return;
    const required = data[`q${index}Required`] === undefined ? question.required : String(data[`q${index}Required`]) === 'true';
    edited.push({ ...question, label, required });
  });
  const added = scalarText(data.newLabel).trim();
  if (added) {
    let n = 1;
    while (edited.some((q) => q.id === `custom${n}`)) n++;
    edited.push({ id: `custom${n}`, kind: 'text', label: added, required: false });
  }
  const parsed = questionListSchema.safeParse(edited);
  return parsed.success ? parsed.data : undefined;
}

/** The most people one search of the group form's pickers answers with (Teams shows 15 at a time). */
export const MAX_PEOPLE_RESULTS = 25;

/** A name as a search compares it: lower case, without accents (å → a, é → e), spaces collapsed. */
function searchable(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();
}

/**
 * The people whose name matches what was typed in a picker of the group
 * form: every word typed occurs in the name, regardless of case and
 * accents ("ost" finds "Åsa Öström"). Names that begin with it come first,
 * then names with a word that begins with it, then the rest, each in
 * Swedish alphabetical order; `skip` and `top` page through them, at most
 * MAX_PEOPLE_RESULTS at a time.
 */
export function searchPeople<T extends { name: string }>(people: T[], queryText: string, page: { skip: number; top: number }): T[] {
  const query = searchable(queryText);
  const words = query.split(' ').filter(Boolean);
  const rank = (name: string) => (name.startsWith(query) ? 0 : name.split(' ').some((word) => word.startsWith(words[0] ?? '')) ? 1 : 2);
  const matches = people
    .map((person) => ({ person, name: searchable(person.name) }))
    .filter(({ name }) => words.every((word) => name.includes(word)))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.person.name.localeCompare(b.person.name, 'sv'));
  const skip = Math.max(0, Math.floor(page.skip) || 0);
  const top = Math.min(MAX_PEOPLE_RESULTS, Math.max(1, Math.floor(page.top) || MAX_PEOPLE_RESULTS));
  return matches.slice(skip, skip + top).map(({ person }) => person);
}
