import { randomUUID } from 'node:crypto';

/** Teams-shaped activities, as Teams sends them to /api/messages. */
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT_ID = '28:bot-malbild';

export interface Person {
  id: string;
  aadObjectId: string;
  name: string;
}

export function person(name: string, n: number): Person {
  return { id: `29:user-${n}`, aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name };
}

interface Base {
  serviceUrl: string;
  locale?: string;
}

function common(options: Base) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    locale: options.locale ?? 'sv-SE',
    recipient: { id: BOT_ID, name: 'Målbild' },
  };
}

export function personalMessage(options: Base & { from: Person; text: string }) {
  return {
    ...common(options),
    type: 'message',
    text: options.text,
    textFormat: 'plain',
    from: { ...options.from },
    conversation: { id: `a:personal-${options.from.id}`, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** The demo school's staff team (src/organisation/exempelskolan.yaml). */
export const TEAM = { id: '19:exempelskolan-personal@thread.tacv2', name: 'Exempelskolan personal', aadGroupId: '00000000-0000-4000-8000-00000000c001' };

/** The demo school's principal, as the organisation file names her. */
export const PRINCIPAL: Person = { id: '29:exempelskolan-rut-rektorsson', aadObjectId: '00000000-0000-4000-8000-00000000a000', name: 'Rut Rektorsson' };

/** A team as a channel activity names it. */
export interface TeamRef {
  id: string;
  name: string;
  aadGroupId?: string;
}

/** A message that @mentions the bot, as Teams sends it from a channel or a group chat (the conversation is the caller's). */
function mentioningTheBot(options: Base & { from: Person; text: string }) {
  return {
    ...common(options),
    type: 'message',
    text: `<at>Målbild</at> ${options.text}`,
    textFormat: 'plain',
    from: { ...options.from },
    entities: [{ type: 'mention', text: '<at>Målbild</at>', mentioned: { id: BOT_ID, name: 'Målbild' } }],
  };
}

export function channelMention(options: Base & { from: Person; text: string; channelId?: string; threadOf?: string; team?: TeamRef }) {
  const team = options.team ?? TEAM;
  const channel = options.channelId ?? team.id;
  const conversationId = options.threadOf ? `${channel};messageid=${options.threadOf}` : channel;
  return {
    ...mentioningTheBot(options),
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, team: { ...team }, channel: { id: channel } },
  };
}

/** A group chat (e.g. a learning group's) when none is named. */
export const GROUP_CHAT_ID = '19:groupchat-1@thread.v2';

function groupChat(chatId: string | undefined) {
  return { id: chatId ?? GROUP_CHAT_ID, conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID };
}

/** A message to the bot in a group chat, @mentioning it as Teams requires there. */
export function groupChatMention(options: Base & { from: Person; text: string; chatId?: string }) {
  return { ...mentioningTheBot(options), conversation: groupChat(options.chatId), channelData: { tenant: { id: TENANT_ID } } };
}

export function botAddedToTeam(options: Base & { from: Person }) {
  return {
    ...common(options),
    type: 'conversationUpdate',
    from: { ...options.from },
    membersAdded: [{ id: BOT_ID }],
    conversation: { id: TEAM.id, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM.id, name: TEAM.name, aadGroupId: TEAM.aadGroupId }, eventType: 'teamMemberAdded' },
  };
}

export function botInstalledPersonal(options: Base & { from: Person }) {
  return {
    ...common(options),
    type: 'conversationUpdate',
    from: { ...options.from },
    membersAdded: [{ id: BOT_ID }],
    conversation: { id: `a:personal-${options.from.id}`, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

export function installationUpdate(options: Base & { from: Person; action: 'add' | 'remove'; kind: 'personal' | 'groupChat' }) {
  const conversation =
    options.kind === 'personal' ? { id: `a:personal-${options.from.id}`, conversationType: 'personal', tenantId: TENANT_ID } : groupChat(undefined);
  return {
    ...common(options),
    type: 'installationUpdate',
    action: options.action,
    from: { ...options.from },
    conversation,
    channelData: { tenant: { id: TENANT_ID }, source: { name: 'message' } },
  };
}

/** An Action.Execute (Universal Actions) invoke, as Teams sends it when a card button is pressed. */
export function cardAction(
  options: Base & {
    from: Person;
    verb: string;
    data: Record<string, unknown>;
    where: 'personal' | 'channel' | 'groupChat';
    replyToId?: string;
    team?: TeamRef;
    /** In a group chat: which (GROUP_CHAT_ID when left out). */
    chatId?: string;
    /** 'automatic' for a card's refresh (Universal Actions), else a press. */
    trigger?: 'manual' | 'automatic';
  },
) {
  const inChannel = options.where === 'channel';
  const team = options.team ?? TEAM;
  const personal = { id: `a:personal-${options.from.id}`, conversationType: 'personal', tenantId: TENANT_ID };
  return {
    ...common(options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId ?? 'card-activity-1',
    from: { ...options.from },
    value: { action: { type: 'Action.Execute', verb: options.verb, data: options.data }, trigger: options.trigger ?? 'manual' },
    conversation: inChannel
      ? { id: team.id, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID }
      : options.where === 'groupChat'
        ? groupChat(options.chatId)
        : personal,
    channelData: inChannel ? { tenant: { id: TENANT_ID }, team: { ...team }, channel: { id: team.id } } : { tenant: { id: TENANT_ID } },
  };
}

/** What Teams sends when someone types in a picker whose choices come from the bot (Data.Query): the application/search invoke. */
export function peopleSearch(options: Base & { from: Person; queryText: string; dataset: string; top?: number; skip?: number; where: 'personal' | 'channel' }) {
  const inChannel = options.where === 'channel';
  return {
    ...common(options),
    type: 'invoke',
    name: 'application/search',
    from: { ...options.from },
    value: {
      queryText: options.queryText,
      dataset: options.dataset,
      ...(options.top === undefined ? {} : { queryOptions: { skip: options.skip ?? 0, top: options.top } }),
    },
    conversation: inChannel
      ? { id: TEAM.id, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID }
      : { id: `a:personal-${options.from.id}`, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: inChannel
      ? { tenant: { id: TENANT_ID }, team: { id: TEAM.id, name: TEAM.name, aadGroupId: TEAM.aadGroupId }, channel: { id: TEAM.id } }
      : { tenant: { id: TENANT_ID } },
  };
}
