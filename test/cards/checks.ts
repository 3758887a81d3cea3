/**
 * The checks every card passes without a browser: the Adaptive Cards 1.5
 * schema, the size budget, a label on every input, at most three buttons in
 * a row and wrapping choices; and, for a rendered card, its height budget.
 */
import Ajv from 'ajv';
import type { AdaptiveCard } from '../../src/cards/render';
import { adaptiveCardSchema } from './cardSchema';

/** Teams refuses messages over about 100 KB; a card stays well below, with room for the activity around it. */
export const CARD_BUDGET_BYTES = 40 * 1024;

let validate: ReturnType<Ajv['compile']> | undefined;

function schemaProblems(card: AdaptiveCard): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(adaptiveCardSchema());
  if (validate(card)) return [];
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => `schema: ${error.instancePath || '/'} ${error.message ?? ''}${error.keyword === 'false schema' ? ' (not in 1.5)' : ''}`);
}

/** Every object in a card with its JSON pointer, depth first. */
function* objectsOf(node: unknown, path = ''): Generator<[Record<string, unknown>, string]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* objectsOf(item, `${path}/${index}`);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    yield [record, path];
    for (const [key, value] of Object.entries(record)) yield* objectsOf(value, `${path}/${key}`);
  }
}

function labelProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  for (const [element, path] of objectsOf(card)) {
    if (typeof element.type !== 'string' || !element.type.startsWith('Input.')) continue;
    // A toggle's title sits beside its box and is its accessible name; a label above would repeat it.
    const named = element.type === 'Input.Toggle' ? element.title : element.label;
    if (typeof named !== 'string' || !named.trim()) problems.push(`label: ${element.type} ${String(element.id)} at ${path} has no label`);
    if (element.isRequired === true && !element.errorMessage)
      problems.push(`label: required ${element.type} ${String(element.id)} at ${path} has no errorMessage`);
  }
  return problems;
}

/**
 * On a phone (360 px) three buttons side by side is the most that keeps
 * their labels whole; more go to the "…" menu (mode "secondary"), a
 * ShowCard, or a row of their own.
 */
export const MAX_ACTIONS_PER_ROW = 3;

function actionRowProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  for (const [element, path] of objectsOf(card)) {
    const isRow = element.type === 'ActionSet' || element.type === 'AdaptiveCard';
    if (!isRow || !Array.isArray(element.actions)) continue;
    const inRow = (element.actions as Record<string, unknown>[]).filter((action) => action.mode !== 'secondary');
    if (inRow.length > MAX_ACTIONS_PER_ROW) {
      const titles = inRow.map((action) => String(action.title)).join(' | ');
      problems.push(`actions: ${inRow.length} buttons in one row at ${path || '/'}/actions (at most ${MAX_ACTIONS_PER_ROW}): ${titles}`);
    }
  }
  return problems;
}

/** A list of choices or a toggle whose label cannot wrap is cut on a phone. */
function wrapProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  for (const [element, path] of objectsOf(card)) {
    const listed = element.type === 'Input.ChoiceSet' && element.style === 'expanded';
    if ((listed || element.type === 'Input.Toggle') && element.wrap !== true)
      problems.push(`wrap: ${String(element.type)} ${String(element.id)} at ${path} does not wrap its labels (wrap: true)`);
  }
  return problems;
}

/**
 * The tallest a card may render at 360 px, by template: a card taller than
 * two phone screens is scrolled past, not read. The goal summary of three
 * goals was about 1,900 px with 15 "Ändra" buttons; it now has a budget.
 */
export const HEIGHT_BUDGETS_360: Readonly<Record<string, number>> = { goalSummary: 1_000 };

/** What is wrong with a card's rendered height at a width; empty when within its budget (or it has none). */
export function heightProblems(template: string, width: number, height: number): string[] {
  const budget = width === 360 ? HEIGHT_BUDGETS_360[template] : undefined;
  return budget !== undefined && height > budget ? [`height: ${Math.round(height)} px at 360 px, over the budget of ${budget} px for ${template}`] : [];
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** What is wrong with a card, one line each; empty when it passes. */
export function staticProblems(card: AdaptiveCard): string[] {
  const problems = [...schemaProblems(card), ...labelProblems(card), ...actionRowProblems(card), ...wrapProblems(card)];
  const bytes = cardBytes(card);
  if (bytes > CARD_BUDGET_BYTES) problems.push(`budget: ${bytes} bytes, over ${CARD_BUDGET_BYTES}`);
  if (JSON.stringify(card).includes('${')) problems.push('template: an unexpanded ${…} binding is left');
  return problems;
}
