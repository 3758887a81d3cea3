import type { Activity } from 'botbuilder';
import type { ConnectorCall } from './connector';

/**
 * Readers of what the bot answered with: the Adaptive Card of a sent
 * activity, of an invoke response (a card action's answer) or of a call to
 * the Bot Connector, and what Teams shows and submits from it.
 */

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

type Replies = Partial<Activity>[];

/** A button of a card: title, verb and data. */
export interface Button {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/** The Adaptive Card content of a sent activity, or undefined. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const attachment = activity?.attachments?.[0];
  return attachment?.contentType === ADAPTIVE_CARD ? (attachment.content as Record<string, unknown>) : undefined;
}

/** The card content of an activity the bot sent to the Bot Connector (a post or an update). */
export function cardInCall(call: ConnectorCall): unknown {
  return (call.body?.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
}

/** All text shown on a card, for assertions. */
export function cardText(activity: Partial<Activity> | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value' || key === 'label') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(cardOf(activity));
  return texts.join('\n');
}

/** The elements anywhere in a card (body, actions, refresh) that pass the test, in order. */
export function elementsOf(card: unknown, test: (element: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (test(element)) found.push(element);
      Object.values(element).forEach(walk);
    }
  };
  walk(card);
  return found;
}

const isInput = (element: Record<string, unknown>) => typeof element.type === 'string' && element.type.startsWith('Input.');

/** A card as it is (its type is AdaptiveCard), or the card an activity carries. */
function cardIn(cardOrActivity: unknown): unknown {
  return (cardOrActivity as { type?: unknown } | undefined)?.type === 'AdaptiveCard' ? cardOrActivity : cardOf(cardOrActivity as Partial<Activity> | undefined);
}

/** Every input of a card, or of the card an activity carries (id → value), as Teams submits them with an Action.Execute. */
export function inputsOf(cardOrActivity: unknown): Record<string, string> {
  return Object.fromEntries(
    elementsOf(cardIn(cardOrActivity), isInput)
      .filter((input) => typeof input.id === 'string')
      .map((input) => [input.id as string, input.value === undefined ? '' : asText(input.value)]),
  );
}

/** The labels of a card's inputs (or those of the card an activity carries), in order. */
export function labelsOf(cardOrActivity: unknown): string[] {
  return elementsOf(cardIn(cardOrActivity), isInput).flatMap((input) => (typeof input.label === 'string' ? [input.label] : []));
}

/** The buttons at the foot of a card: title, verb and data. */
export function actionsOf(activity: Partial<Activity> | undefined): Button[] {
  return ((cardOf(activity)?.actions ?? []) as Button[]).map(({ title, verb, data }) => ({ title, verb, data }));
}

/** Every Action.Execute anywhere on a card (the foot, action sets in the body, the refresh). */
export function allActionsOf(activity: Partial<Activity> | undefined): Button[] {
  return elementsOf(cardOf(activity), (element) => element.type === 'Action.Execute') as unknown as Button[];
}

/** What Teams sends when the card's button with this verb is pressed: its data and the card's inputs, with the changes someone typed. */
export function submission(activity: Partial<Activity> | undefined, verb: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const button = allActionsOf(activity).find((a) => a.verb === verb);
  if (!button) throw new Error(`the card has no ${verb} button`);
  return { ...button.data, ...inputsOf(activity), ...changes };
}

/** The body of the invoke response among the replies to a card action. */
export function invokeBody(replies: Replies): { statusCode: number; type: string; value: unknown } | undefined {
  const response = replies.find((r) => r.type === 'invokeResponse');
  return (response?.value as { body?: { statusCode: number; type: string; value: unknown } } | undefined)?.body;
}

/** The card a card action answered with (it replaces the pressed card for the one who pressed), as an activity. */
export function invokeCard(replies: Replies): Partial<Activity> | undefined {
  const body = invokeBody(replies);
  return body?.type === ADAPTIVE_CARD ? { attachments: [{ contentType: ADAPTIVE_CARD, content: body.value }] } : undefined;
}

/** What the one who pressed reads: the answering card's text, or the answering message. */
export function invokeText(replies: Replies): string {
  const card = invokeCard(replies);
  return card ? cardText(card) : asText(invokeBody(replies)?.value ?? '');
}

/** The plain messages the bot sent alongside. */
export function messagesIn(replies: Replies): string[] {
  return replies.filter((r) => r.type === 'message' && r.text).map((r) => r.text!);
}

/** A value as Teams shows or submits it: strings as they are, numbers and booleans as written in JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
