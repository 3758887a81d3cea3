import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { ConversationKind, ConversationRef } from '../domain/conversations';
import { AppError, isAppError } from '../domain/errors';
import type { Dialogue, Participation } from '../domain/goalDialogue';
import type { ActivePointerRow } from '../domain/goalDialogueRepository';
import type { Actor } from '../domain/organisation';
import { type Language, languageOf, type Strings, stringsFor } from '../i18n';
import { type CommandId, matchCommand } from './commands';
import type { BotDeps } from './deps';
import { appErrorMessage } from './errorMessages';
import { chosenLanguageOf } from './language';

/**
 * The one reading of a turn: who acts, where, in which language (the
 * person's choice over Teams' locale, see language.ts), and how an
 * expected failure is answered. Derived once per turn (kept on the turn
 * context); what needs Teams or storage (the actor's UPN, whether the person
 * is writing goals) is read lazily, at most once, and only when a route asks.
 */
export interface Turn {
  readonly context: TurnContext;
  readonly who: Who;
  readonly where: Where;
  readonly language: Language;
  readonly strings: Strings;
  /** The acting person with tenant and ids; an activity without them may do nothing (NOT_ALLOWED). */
  person(): Person;
  /** The acting person as the organisation knows them: by AAD id, or by UPN when they manage no school by id. */
  actor(): Promise<Actor>;
  /** Whether the acting person is writing goals in a goal dialogue now (their typed text is an answer). */
  isWritingGoals(): Promise<boolean>;
  /** The goal dialogue the acting person is writing in (their active pointer), read at most once per turn. */
  readonly activeDialogueId: () => Promise<string | undefined>;
  /** The same pointer with its ETag (the one reading of it). */
  readonly activePointer: () => Promise<ActivePointerRow | undefined>;
  /**
   * In the 1:1 chat: the newest open goal dialogue the person is invited to
   * and has not started (their typed text starts it), read at most once per turn.
   */
  invitedDialogue(): Promise<Dialogue | undefined>;
  /** The person's goal dialogues with her participation in each, read at most once per turn. */
  teacherDialogues(): Promise<{ dialogue: Dialogue; participation: Participation }[]>;
  /** What the user reads for an expected failure (AppError), in the turn's language; undefined for anything else. */
  expectedErrorMessage(error: unknown): string | undefined;
  /** Runs a route's work; an expected failure is answered with its message, anything else goes on to the turn-error handler. */
  replyWithExpectedErrors(work: () => Promise<void>): Promise<void>;
}

/** Who acts, as the activity says (an event may carry no AAD id or tenant). */
export interface Who {
  /** The Teams user id (29:…). */
  userId: string;
  aadObjectId?: string;
  name: string;
  tenantId?: string;
}

/** Where the turn happens. */
export interface Where {
  /** What commands and help see: a meeting's chat is a group chat. */
  kind: ConversationKind;
  /** Where a learning group lives: a group chat of a Teams meeting is a meeting. */
  place: ConversationKind | 'meeting';
  /** The conversation without any ";messageid=…" of a thread. */
  conversationId: string;
  /** The team of a channel conversation ({} anywhere else). */
  team: { teamId?: string; aadGroupId?: string };
  /** The channel of a channel conversation. */
  channelId?: string;
}

export interface Person {
  tenantId: string;
  aadObjectId: string;
  userId: string;
  name: string;
}

const TURN = Symbol('målbild.turn');

export function turnOf(context: TurnContext, deps: BotDeps): Turn {
  const cached = context.turnState.get<Turn | undefined>(TURN);
  if (cached) return cached;
  const turn = readTurn(context, deps);
  context.turnState.set(TURN, turn);
  return turn;
}

function readTurn(context: TurnContext, deps: BotDeps): Turn {
  const { activity } = context;
  const channelData = channelDataOf(activity);
  const kind = conversationKindOf(activity);
  const who: Who = {
    userId: activity.from?.id ?? '',
    aadObjectId: activity.from?.aadObjectId,
    name: activity.from?.name ?? '',
    tenantId: tenantIdOf(activity),
  };
  const where: Where = {
    kind,
    place: kind !== 'groupChat' ? kind : channelData.meeting?.id ? 'meeting' : 'groupChat',
    conversationId: baseConversationId(activity.conversation?.id ?? ''),
    team: kind === 'channel' ? { teamId: channelData.team?.id, aadGroupId: channelData.team?.aadGroupId } : {},
    channelId: kind === 'channel' ? channelData.channel?.id : undefined,
  };
  const person = (): Person => {
    const { tenantId, aadObjectId } = who;
    if (!tenantId || !aadObjectId) throw new AppError('NOT_ALLOWED', 'no tenant or user id on the activity', { action: 'manage' });
    return { tenantId, aadObjectId, userId: who.userId, name: who.name };
  };
  let actor: Promise<Actor> | undefined;
  let active: Promise<ActivePointerRow | undefined> | undefined;
  let invited: Promise<Dialogue | undefined> | undefined;
  let dialogues: Promise<{ dialogue: Dialogue; participation: Participation }[]> | undefined;
  const turn: Turn = {
    context,
    who,
    where,
    // Read when asked: the person's chosen language is loaded after the turn is first read (app.ts, beforeTurn).
    get language() {
      return languageOfTurn(context, deps.defaultLocale);
    },
    get strings() {
      return stringsFor(languageOfTurn(context, deps.defaultLocale));
    },
    person,
    actor() {
      actor ??= (async () => {
        const { aadObjectId } = person();
        const byId: Actor = { aadObjectId };
        if (deps.organisation.unitsManagedBy(byId).length > 0) return byId;
        return { aadObjectId, upn: await deps.roster.upnOf(context) };
      })();
      return actor;
    },
    async isWritingGoals() {
      return (await turn.activeDialogueId()) !== undefined;
    },
    async activeDialogueId() {
      return (await turn.activePointer())?.dialogueId;
    },
    activePointer() {
      const { tenantId, aadObjectId } = who;
      active ??= tenantId && aadObjectId ? deps.goals.activePointerOf(tenantId, aadObjectId) : Promise.resolve(undefined);
      return active;
    },
    invitedDialogue() {
      const { tenantId, aadObjectId } = who;
      invited ??= kind === 'personal' && tenantId && aadObjectId ? turn.teacherDialogues().then(newestInvitation) : Promise.resolve(undefined);
      return invited;
    },
    teacherDialogues() {
      const { tenantId, aadObjectId } = who;
      dialogues ??= tenantId && aadObjectId ? deps.goals.teacherDialogues(tenantId, aadObjectId) : Promise.resolve([]);
      return dialogues;
    },
    expectedErrorMessage(error) {
      return isAppError(error) ? appErrorMessage(error, turn.language) : undefined;
    },
    async replyWithExpectedErrors(work) {
      try {
        await work();
      } catch (error) {
        const expected = turn.expectedErrorMessage(error);
        if (expected === undefined) throw error;
        await context.sendActivity(expected);
      }
    },
  };
  return turn;
}

function newestInvitation(rows: { dialogue: Dialogue; participation: Participation }[]): Dialogue | undefined {
  const invited = rows.filter(({ dialogue, participation }) => dialogue.status === 'open' && participation.status === 'not-started');
  invited.sort((a, b) => b.dialogue.createdAt.localeCompare(a.dialogue.createdAt));
  return invited[0]?.dialogue;
}

// --- Route selectors ---

/** A message that is the command `id` where it is written (anchored patterns, see commands.ts). */
export function isCommand(id: CommandId) {
  return async (context: TurnContext): Promise<boolean> =>
    context.activity.type === ActivityTypes.Message && matchCommand(commandText(context.activity), conversationKindOf(context.activity))?.id === id;
}

/** Typed text that no command here claims. */
export async function isUnknownText(context: TurnContext): Promise<boolean> {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Message || activity.value !== undefined) return false;
  const text = commandText(activity);
  return text.length > 0 && matchCommand(text, conversationKindOf(activity)) === undefined;
}

/** A typed message with no text once the @mention and any markup are gone (not a card's submit, which carries a value). */
export function isEmptyMessage(context: TurnContext): boolean {
  const { activity } = context;
  return activity.type === ActivityTypes.Message && activity.value === undefined && commandText(activity).length === 0;
}

/** A command of a team or a group chat, written in a 1:1 chat (it gets a pointer to where it works, never taken as an answer to an invitation). */
export function isCommandOfAGroupOrTeam(context: TurnContext): boolean {
  const { activity } = context;
  if (conversationKindOf(activity) !== 'personal') return false;
  const text = commandText(activity);
  return matchCommand(text, 'channel') !== undefined || matchCommand(text, 'groupChat') !== undefined;
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

// --- What an activity says ---

/** The language the person chose (`språk`), else that of their Teams, else the configured default. */
export function languageOfTurn(context: TurnContext, defaultLocale: string): Language {
  return chosenLanguageOf(context) ?? languageOf(context.activity.locale, defaultLocale);
}

export function conversationKindOf(activity: Partial<Activity>): ConversationKind {
  switch (activity.conversation?.conversationType) {
    case 'channel':
      return 'channel';
    case 'groupChat':
      return 'groupChat';
    case undefined:
    default:
      return 'personal';
  }
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; aadGroupId?: string };
  channel?: { id?: string };
  meeting?: { id?: string };
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

/** The stored reference to the activity's conversation, for proactive messages; undefined when Teams left out a part. */
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
