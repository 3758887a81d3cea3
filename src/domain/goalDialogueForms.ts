import { z } from 'zod';
import { GOAL_STEPS, MAX_GOALS, type Participation } from './goalDialogue';
import { startInputSchema } from './goalDialogueStart';

/**
 * What the goal-dialogue cards send (Action.Execute data), parsed. A shape
 * that does not parse was not sent by our cards: the bot answers it as
 * invalid input. The start form is the exception: its values are rules the
 * principal can break, reported by the service with the form kept as sent.
 */

/** Comma-separated ids, as Input.ChoiceSet sends a multi-select. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Which of a teacher's goals (at most MAX_GOALS). */
export const goalIndexSchema = z.coerce
  .number()
  .int()
  .min(0)
  .max(MAX_GOALS - 1);
export const dialogueRefSchema = z.object({ dialogueId: z.string().min(1) });
export const teacherRefSchema = dialogueRefSchema.extend({ teacher: z.string().min(1) });
export const talkNotesSchema = teacherRefSchema.extend({
  notes: z.string().default(''),
  talkHeldOn: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/)
    .optional(),
});
/** The version of the goals a teacher's card was made with; cards from before versions were sent name none. */
export const cardVersionSchema = z.object({ version: z.coerce.number().int().min(0).optional() });
/**
 * Whether a card was made for goals the teacher has confirmed since (or, for
 * a card that names no version, whether there are confirmed goals at all):
 * such a card answers with the goals as they are now and changes nothing.
 */
export function isOlderCard(participation: Pick<Participation, 'status' | 'versions'>, cardVersion: number | undefined): boolean {
  if (participation.status === 'done') return cardVersion !== participation.versions;
  return cardVersion !== undefined && cardVersion !== participation.versions;
}

export const goalEditSchema = dialogueRefSchema.extend({ goalIndex: goalIndexSchema, step: z.enum(GOAL_STEPS) });
export const goalAnswerSchema = goalEditSchema.extend({ answer: z.string().optional(), goalIds: z.string().optional() });

/** A card value as text: anything but a string reads as empty. */
const text = z.unknown().transform((value) => (typeof value === 'string' ? value : ''));

/** The start form as sent: every field present, in the shape the form and the service use. */
export const startFormSchema = z.object({
  title: text,
  goalIds: text.transform(splitList),
  deadline: text,
  participantMode: text.transform((mode): 'everyone' | 'chosen' => (mode === 'chosen' ? 'chosen' : 'everyone')),
  participantIds: text.transform(splitList),
  reminders: text.transform((reminders) => reminders !== 'false'),
});
export type StartForm = z.infer<typeof startFormSchema>;

/** A title kept as sent is cut where the service's limit is. */
const MAX_TITLE_CHARS = startInputSchema.shape.title.maxLength ?? Infinity;

/**
 * The start form's values: the service's input when they parse (the title
 * trimmed), else as sent, for the service to name what is wrong.
 */
export function parseStartForm(data: Record<string, unknown>): StartForm {
  const form = startFormSchema.parse(data);
  const parsed = startInputSchema.safeParse(form);
  if (parsed.success) return parsed.data;
  return { ...form, title: form.title.slice(0, MAX_TITLE_CHARS) };
}
