import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';
import { stringsFor } from '../i18n';
import type { Logger } from '../logger';
import { unexpectedInvokeResponse } from './cardActions';
import { languageOfTurn } from './turn';

/**
 * The Bot Framework adapter. With no BOT_ID (local mode) the Bot Framework
 * skips authentication both ways; that is refused in production by config.
 */
export function createAdapter(config: Config, logger: Logger): TeamsAdapter {
  const { bot } = config;
  const adapter = new TeamsAdapter({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.password ?? '',
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId ?? '',
    ...(bot.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl } : {}),
    ...(bot.tokenIssuer ? { ToBotFromChannelTokenIssuer: bot.tokenIssuer } : {}),
  });
  adapter.onTurnError = turnErrorHandler(logger, config.defaultLocale);
  return adapter;
}

/**
 * The one place unexpected errors end: logged with the activity id, and the
 * user told in their language that something went wrong (never a stack trace).
 */
export function turnErrorHandler(logger: Logger, defaultLocale: string) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const { activity } = context;
    logger.error(
      { err: error, activityId: activity.id, activityType: activity.type, conversationId: activity.conversation?.id },
      'turn failed',
    );
    // Only a person who asked for something is told; an install or an event is not.
    if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.Invoke) return;
    try {
      const message = stringsFor(languageOfTurn(context, defaultLocale)).errors.unexpected;
      if (activity.type === ActivityTypes.Invoke) {
        // A card action is answered in its own response, or Teams shows an error of its own (HTTP 501, no body).
        if (!context.turnState.get(INVOKE_RESPONSE_KEY)) await context.sendActivity(unexpectedInvokeResponse(message));
        return;
      }
      await context.sendActivity(message);
    } catch (sendError) {
      logger.error({ err: sendError, activityId: activity.id }, 'could not tell the user about the failed turn');
    }
  };
}
