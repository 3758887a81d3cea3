import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '../cards/render';
import type { Verb } from '../cards/verbs';
import { ZodError } from 'zod';
import { AppError } from '../domain/errors';
import type { BotDeps } from './deps';
import { releaseActivity } from './once';
import { type Turn, turnOf } from './turn';

/** What a card action answers with: a card that replaces the one clicked, or a short message. */
export type CardActionResult = { card: AdaptiveCard } | { message: string };

const ACTION_INVOKE = 'adaptiveCard/action';

/** The verb of an Action.Execute card action; undefined for any other activity. */
export function verbOf(context: TurnContext): string | undefined {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Invoke || activity.name !== ACTION_INVOKE) return undefined;
  const action = (activity.value as { action?: { type?: string; verb?: unknown } } | undefined)?.action;
  return action?.type === 'Action.Execute' && typeof action.verb === 'string' ? action.verb : undefined;
}

/** The inputs and data of the Action.Execute, as sent (to be parsed with zod by the handler). */
export function actionData(context: TurnContext): Record<string, unknown> {
  const data = (context.activity.value as { action?: { data?: unknown } } | undefined)?.action?.data;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

/** The answer to a card action that failed unexpectedly: status 200 and the message, which Teams shows in the card. */
export function unexpectedInvokeResponse(message: string): Partial<Activity> {
  return {
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message } },
  };
}

async function respond(context: TurnContext, body: Record<string, unknown>): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

/**
 * Routes one Action.Execute verb (Universal Actions). Expected failures
 * (AppError) answer with a message in the user's language and change
 * nothing; anything else is logged and answered, in the card, with "try
 * again in a moment".
 */
export function onCardAction(app: Application<TurnState>, verb: Verb, handler: (turn: Turn) => Promise<CardActionResult>, deps: BotDeps): void {
  app.addRoute(
    async (context) => verbOf(context) === verb,
    async (context) => {
      const turn = turnOf(context, deps);
      try {
        const result = await handler(turn);
        if ('card' in result) {
          await respond(context, { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card });
        } else {
          await respond(context, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result.message });
        }
      } catch (caught) {
        // Card data that does not parse was not sent by our card (or by an older version of it): bad input, not a fault.
        const error = caught instanceof ZodError ? new AppError('INVALID_INPUT', 'card data does not parse') : caught;
        const expected = turn.expectedErrorMessage(error);
        if (expected !== undefined) {
          if (caught instanceof ZodError) deps.logger.info({ activityId: context.activity.id, verb }, 'card action with data that does not parse');
          await respond(context, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expected });
          return;
        }
        deps.logger.error({ err: error, activityId: context.activity.id, verb }, 'card action failed');
        // Answered here, not thrown: the claim is given back so that a redelivery may try again.
        await releaseActivity(context, deps);
        // Teams shows an error body as an error of its own; a message in the card tells the person to try again in a moment.
        await context.sendActivity(unexpectedInvokeResponse(turn.strings.errors.unexpected));
      }
    },
    true,
  );
}

/**
 * A form's two buttons, a draft kept and an answer confirmed: one handler,
 * told which was pressed.
 */
export function onDraftOrConfirm(
  app: Application<TurnState>,
  verbs: { save: Verb; confirm: Verb },
  handler: (turn: Turn, confirm: boolean) => Promise<CardActionResult>,
  deps: BotDeps,
): void {
  onCardAction(app, verbs.save, (turn) => handler(turn, false), deps);
  onCardAction(app, verbs.confirm, (turn) => handler(turn, true), deps);
}

/**
 * A card action no verb route took: a verb forged or misspelt, one of a card
 * from an older version, or an action other than Action.Execute. Registered
 * after every feature's routes; answered in the card (not with teams-ai's
 * 501, which Teams shows as its own error), and nothing is done.
 */
export function registerUnknownCardActions(app: Application<TurnState>, deps: BotDeps): void {
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === ACTION_INVOKE,
    async (context) => {
      const { strings, where } = turnOf(context, deps);
      deps.logger.info({ activityId: context.activity.id }, 'card action with a verb no route takes');
      const message = where.kind === 'personal' ? strings.unknownInput.cardAction : strings.unknownInput.cardActionMention;
      await respond(context, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message });
    },
    true,
  );
}
