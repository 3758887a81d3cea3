/**
 * Room on a card for what grows with a group. Answers are free text of up
 * to 2,000 characters from up to 61 people, and the learning log gathers
 * them for up to 20 meetings: shown whole, one card could pass Teams' limit
 * of about 100 KB for a message. A card stays within 40 KB (test/cards):
 * its growing lists share LIST_BUDGET_BYTES, each entry cut to
 * ENTRY_MAX_CHARS, and what does not fit is counted rather than shown.
 */

/** What a card may spend on its growing lists, leaving room for the rest of the card within 40 KB. */
export const LIST_BUDGET_BYTES = 26 * 1024;
/** An answer on a shared card is cut after this many characters (the person's own view shows theirs whole). */
export const ENTRY_MAX_CHARS = 500;
/** What an entry costs beyond its text: the TextBlock around it. */
const ENTRY_OVERHEAD_BYTES = 64;

/** The text, cut at a word before `max` characters with "…" when longer. */
export function shortened(text: string, max = ENTRY_MAX_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > max / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

/** The bytes of an entry on a card: its texts and the element around it. */
export function entryBytes(...texts: string[]): number {
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), ENTRY_OVERHEAD_BYTES);
}

/**
 * The lists' entries, in order, as long as they fit in `budget` bytes
 * together; and how many were left out (from the first that did not fit on).
 */
export function withinBudget<T>(lists: T[][], bytesOf: (entry: T) => number, budget = LIST_BUDGET_BYTES): { lists: T[][]; left: number } {
  let spent = 0;
  let left = 0;
  const fitted = lists.map((list) =>
    list.filter((entry) => {
      if (left === 0 && spent + bytesOf(entry) <= budget) {
        spent += bytesOf(entry);
        return true;
      }
      left++;
      return false;
    }),
  );
  return { lists: fitted, left };
}
