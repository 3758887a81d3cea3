import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { renderWelcomeCard } from '../cards/welcome';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { conversationRefOf, type Turn, turnOf } from './turn';

/**
 * Install and uninstall. Teams reports an install twice (conversationUpdate
 * with the bot among membersAdded, and installationUpdate "add"), possibly to
 * two instances at once; the welcome marker in storage lets exactly one of
 * them greet.
 */
export function registerWelcome(app: Application<TurnState>, deps: BotDeps): void {
  app.activity(isInstall, async (context) => {
    const ref = conversationRefOf(context.activity, deps.now());
    if (!ref) {
      deps.logger.warn({ activityId: context.activity.id }, 'install without tenant or conversation; no welcome');
      return;
    }
    // The reference itself was stored by the beforeTurn refresh in app.ts.
    if (await deps.conversations.claimWelcome(ref.tenantId, ref.conversationId, deps.now())) {
      await context.sendActivity(cardMessage(welcomeCard(turnOf(context, deps))));
    }
  });

  app.activity(isUninstall, async (context) => {
    const { who, where } = turnOf(context, deps);
    if (!who.tenantId || !context.activity.conversation?.id) return;
    await deps.conversations.markInactive(who.tenantId, where.conversationId, deps.now());
    await deps.conversations.releaseWelcome(who.tenantId, where.conversationId);
    deps.logger.info({ conversationId: where.conversationId }, 'uninstalled; conversation reference marked inactive');
  });
}

/** The welcome of the turn's kind of conversation: sent once on install, and again to a greeting (help.ts). */
export function welcomeCard(turn: Turn) {
  const strings = turn.strings.welcome;
  const { kind } = turn.where;
  return renderWelcomeCard({
    title: strings.title,
    body: kind === 'personal' ? strings.personal : kind === 'channel' ? strings.team : strings.groupChat,
    start: kind === 'personal' ? strings.start : strings.startMention,
  });
}

function botIsAmong(context: TurnContext, members: { id: string }[] | undefined): boolean {
  return (members ?? []).some((member) => member.id === context.activity.recipient?.id);
}

export async function isInstall(context: TurnContext): Promise<boolean> {
  const { activity } = context;
  if (activity.type === ActivityTypes.ConversationUpdate) return botIsAmong(context, activity.membersAdded);
  return activity.type === ActivityTypes.InstallationUpdate && (activity.action === 'add' || activity.action === 'add-upgrade');
}

export async function isUninstall(context: TurnContext): Promise<boolean> {
  const { activity } = context;
  if (activity.type === ActivityTypes.ConversationUpdate) return botIsAmong(context, activity.membersRemoved);
  return activity.type === ActivityTypes.InstallationUpdate && activity.action === 'remove';
}
