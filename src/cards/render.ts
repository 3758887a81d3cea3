import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as JSON, ready to be wrapped in an attachment. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body?: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

/** Teams refreshes a card (Universal Actions, refresh.userIds) for at most 60 users; everyone else sees the card as posted. */
export const MAX_REFRESH_USERS = 60;

/** One option of a choice set in a card: what is shown and what is submitted. */
export interface Choice {
  title: string;
  value: string;
}

const templateDir = join(__dirname, '..', '..', 'adaptiveCards');
const templates = new Map<string, Template>();

function templateFor(name: string): Template {
  let template = templates.get(name);
  if (!template) {
    template = new Template(JSON.parse(readFileSync(join(templateDir, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template;
}

/**
 * Expands a template from adaptiveCards/ with data. Callers are the typed
 * render functions beside this file; nothing else builds card JSON.
 */
export function expandCard<T extends object>(name: string, data: T): AdaptiveCard {
  const card = templateFor(name).expand({ $root: data }) as AdaptiveCard;
  if (card?.type !== 'AdaptiveCard') throw new Error(`Card template ${name} did not expand to an AdaptiveCard`);
  return card;
}
