/**
 * The checks every card passes without a browser: the Adaptive Cards 1.5
 * schema, the size budget, and a label on every input.
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

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** What is wrong with a card, one line each; empty when it passes. */
export function staticProblems(card: AdaptiveCard): string[] {
  const problems = [...schemaProblems(card), ...labelProblems(card)];
  const bytes = cardBytes(card);
  if (bytes > CARD_BUDGET_BYTES) problems.push(`budget: ${bytes} bytes, over ${CARD_BUDGET_BYTES}`);
  if (JSON.stringify(card).includes('${')) problems.push('template: an unexpanded ${…} binding is left');
  return problems;
}
