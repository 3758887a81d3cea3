import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * A form card's own id: made when the form is rendered, carried in its
 * submit action's data, and the id of what the form creates (a goal
 * dialogue, a learning group). A form submitted twice (a double-click, two
 * people pressing one card) then creates under the same key twice, and the
 * second create finds the first: a form that already became something
 * cannot create it again.
 */
export const formIdSchema = z.string().regex(/^\d{8}-[0-9a-f]{10}$/);

/** A new form id: the date, for reading, and 40 random bits. */
export function newFormId(now: Date): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(5).toString('hex')}`;
}

/** The form id a submission carries, if it is one of ours (an older card has none). */
export function formIdOf(data: Record<string, unknown>): string | undefined {
  const parsed = formIdSchema.safeParse(data.formId);
  return parsed.success ? parsed.data : undefined;
}
