import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { localDateOf } from '../time';

/** What a principal's start form asks for, and the dialogue's defaults. */

export const startInputSchema = z.object({
  title: z.string().trim().min(1).max(100),
  goalIds: z.array(z.string()).min(1),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  participantMode: z.enum(['everyone', 'chosen']),
  participantIds: z.array(z.string()),
  reminders: z.boolean(),
});
/** The term of a dialogue whose title is the suggested one (see Dialogue.term): not on the form, added by the bot. */
export interface DialogueTerm {
  term: 'HT' | 'VT';
  year: number;
}
export type StartInput = z.infer<typeof startInputSchema> & { term?: DialogueTerm };

export type StartProblem = 'title' | 'deadline' | 'goals' | 'participants' | 'noMembers';

export function newDialogueId(now: Date): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(5).toString('hex')}`;
}

/** Autumn term (HT) from August, spring term (VT) before. */
export function defaultDialogueTitle(now: Date, timeZone: string): DialogueTerm {
  const [year, month] = localDateOf(now, timeZone).split('-').map(Number) as [number, number];
  return { term: month >= 8 ? 'HT' : 'VT', year };
}
