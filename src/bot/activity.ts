import type { Activity, TurnContext } from 'botbuilder';
import type { ConversationKind, ConversationRef } from '../domain/conversations';
import { type Language, languageOf } from '../i18n';

/** What a handler needs to know about where a turn happens. */
export function conversationKindOf(activity: Partial<Activity>): ConversationKind {
  switch (activity.conversation?.conversationType) {
    case 'channel':
      return 'channel';
    case 'groupChat':
      return 'groupChat';
    default:
      return 'personal';
  }
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string };
}

function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

export function tenantIdOf(activity: Partial<Activity>): string | undefined {
  return activity.conversation?.tenantId ?? channelDataOf(activity).tenant?.id;
}

/**
 * A channel post that replies in a thread carries ";messageid=…" on the
 * conversation id; the channel itself is the part before it.
 */
export function baseConversationId(conversationId: string): string {
  const cut = conversationId.indexOf(';messageid=');
  return cut === -1 ? conversationId : conversationId.slice(0, cut);
}

export function conversationRefOf(activity: Partial<Activity>, now: Date): ConversationRef | undefined {
  const tenantId = tenantIdOf(activity);
  const conversationId = activity.conversation?.id;
  if (!tenantId || !conversationId || !activity.serviceUrl || !activity.recipient?.id) return undefined;
  const kind = conversationKindOf(activity);
  const channelData = channelDataOf(activity);
  return {
    tenantId,
    conversationId: baseConversationId(conversationId),
    kind,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId ?? 'msteams',
    botId: activity.recipient.id,
    userId: kind === 'personal' ? activity.from?.id : undefined,
    aadObjectId: kind === 'personal' ? activity.from?.aadObjectId : undefined,
    teamId: channelData.team?.id,
    teamsChannelId: kind === 'channel' ? channelData.channel?.id : undefined,
    locale: activity.locale,
    active: true,
    updatedAt: now.toISOString(),
  };
}

export function languageOfTurn(context: TurnContext, defaultLocale: string): Language {
  return languageOf(context.activity.locale, defaultLocale);
}

/**
 * Message text as a command sees it: the @mention already removed by the
 * application, HTML spaces and surrounding punctuation gone, spaces folded.
 */
export function commandText(activity: Partial<Activity>): string {
  return (activity.text ?? '')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[/!]+/, '')
    .replace(/[.!?]+$/, '')
    .trim();
}
