/**
 * Text shown in a TextBlock or FactSet is read as Markdown by Teams. A line
 * that starts with "3. " or "- " becomes a list item, and a list is
 * renumbered from 1: school goal 3 would read as "2." when goals 1 and 3
 * are shown. A no-break space after the marker keeps the line as written
 * (CommonMark wants a plain space or a tab there), and looks the same.
 */

const NO_BREAK_SPACE = '\u00a0';
const LIST_MARKER = /^(\s{0,3}(?:\d{1,9}[.)]|[-*+]))[ \t]+/gm;

/** The text with no line that Markdown would turn into a list item. */
export function noAccidentalList(text: string): string {
  return text.replace(LIST_MARKER, `$1${NO_BREAK_SPACE}`);
}

/** "3. title" that stays "3." in Teams, whichever other numbers are shown with it. */
export function numbered(number: number, title: string): string {
  return `${number}.${NO_BREAK_SPACE}${noAccidentalList(title)}`;
}
