import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  dialogueStartCard,
  dialogueStatusCard,
  goalQuestionCard,
  goalQuestionText,
  goalSummaryCard,
  MAX_NOTES_CHARS,
  myGoalsCard,
  participantGoalsCard,
  principalOverviewCard,
  type StartFormValues,
} from '../cards/goalViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { AppError, isAppError } from '../domain/errors';
import { type Dialogue, type FlowInput, type FlowReply, GOAL_STEPS, type Participation, participantState } from '../domain/goalDialogue';
import { type ChannelRef, defaultDialogueTitle, type Member, startInputSchema } from '../domain/goalDialogueService';
import type { Actor } from '../domain/organisation';
import { type Language, type Strings, stringsFor } from '../i18n';
import { addDays, localDateOf } from '../time';
import { baseConversationId, commandText, conversationKindOf, languageOfTurn, tenantIdOf } from './activity';
import { actionData, type CardActionResult, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import { matchCommand } from './commands';
import type { BotDeps } from './deps';
import { appErrorMessage } from './errorMessages';

/** Målsamtal in Teams: the principal in the channel and in 1:1, each teacher in 1:1. */
export function registerGoalDialogues(app: Application<TurnState>, deps: BotDeps): void {
  const on = (verb: Parameters<typeof onCardAction>[1], handler: (context: TurnContext) => Promise<CardActionResult>) =>
    onCardAction(app, verb, handler, deps);

  // --- The principal, in the staff team's channel ---

  app.message(isCommand('startDialogue'), (context) =>
    replyWithExpectedErrors(context, deps, async () => {
      const strings = turnStrings(context, deps);
      const school = deps.goals.schoolForManagement(teamOf(context), await actorOf(context, deps));
      const goals = await deps.goals.activeGoals(school.id);
      if (goals.length === 0) {
        await context.sendActivity(strings.goals.startForm.noGoals);
        return;
      }
      const members = await otherMembers(context, deps);
      const now = deps.now();
      const { term, year } = defaultDialogueTitle(now, deps.timeZone);
      const values: StartFormValues = {
        title: strings.goals.defaultTitle(term, year),
        goalIds: goals.map((goal) => goal.id),
        deadline: addDays(localDateOf(now, deps.timeZone), 21),
        participantMode: 'everyone',
        participantIds: [],
        reminders: true,
      };
      await context.sendActivity(cardMessage(dialogueStartCard(strings, school, goals, members, values, tomorrow(deps))));
    }),
  );

  on(VERBS.dialogueStart, async (context) => {
    const strings = turnStrings(context, deps);
    const school = deps.goals.schoolForManagement(teamOf(context), await actorOf(context, deps));
    const input = parseStartForm(actionData(context));
    const members = await otherMembers(context, deps);
    const principal = memberOf(context);
    const channel = channelOf(context, deps);
    const result = await deps.goals.startDialogue(school, principal, channel, input, members);
    if ('problems' in result) {
      const goals = await deps.goals.activeGoals(school.id);
      return { card: dialogueStartCard(strings, school, goals, members, input, tomorrow(deps), result.problems) };
    }
    const card = statusCardFor(strings, languageOfTurn(context, deps.defaultLocale), result.dialogue, result.dialogue.participants.length);
    // The form becomes the status card, for everyone in the channel (the
    // invoke response alone would change it only for the principal).
    const formId = context.activity.replyToId;
    if (formId) {
      await context.updateActivity({ ...cardMessage(card), id: formId });
      await deps.goals.statusCardPosted(result.dialogue, formId);
    } else {
      const sent = await context.sendActivity(cardMessage(card));
      await deps.goals.statusCardPosted(result.dialogue, sent?.id ?? '');
    }
    deps.logger.info({ dialogueId: result.dialogue.id, participants: result.dialogue.participants.length }, 'goal dialogue started');
    return { card };
  });

  // --- The teacher, in their 1:1 chat ---

  on(VERBS.goalsBegin, (context) => teacherCardAction(context, deps, () => ({ kind: 'start' })));
  on(VERBS.goalsBack, (context) => teacherCardAction(context, deps, () => ({ kind: 'back' })));
  on(VERBS.goalsPause, (context) => teacherCardAction(context, deps, () => ({ kind: 'pause' })));
  on(VERBS.goalsAdd, (context) => teacherCardAction(context, deps, () => ({ kind: 'addGoal' })));
  on(VERBS.goalsConfirm, (context) => teacherCardAction(context, deps, () => ({ kind: 'confirm' })));
  on(VERBS.goalsRemove, (context) =>
    teacherCardAction(context, deps, () => ({ kind: 'removeGoal', goalIndex: indexSchema.parse(actionData(context).goalIndex) })),
  );
  on(VERBS.goalsEdit, (context) =>
    teacherCardAction(context, deps, () => {
      const data = editSchema.parse(actionData(context));
      return { kind: 'edit', goalIndex: data.goalIndex, step: data.step };
    }),
  );
  on(VERBS.goalsAnswer, (context) =>
    teacherCardAction(context, deps, (participation) => {
      const data = answerSchema.parse(actionData(context));
      // A card from an earlier step: show where the teacher really is, change nothing.
      if (participation.cursor.goalIndex !== data.goalIndex || participation.cursor.step !== data.step) return undefined;
      if (data.step === 'schoolGoals') return { kind: 'chooseGoals', ids: splitList(data.goalIds) };
      return { kind: 'answer', text: data.answer ?? '' };
    }),
  );

  const teacherCommand = (id: 'resume' | 'pause' | 'back' | 'cancel', input: FlowInput) =>
    app.message(isCommand(id), (context) =>
      replyWithExpectedErrors(context, deps, async () => {
        const strings = turnStrings(context, deps);
        const me = personOf(context);
        const dialogue = await deps.goals.teacherDialogue(me.tenantId, me.aadObjectId);
        if (!dialogue || (id !== 'resume' && !(await deps.goals.isWriting(me.tenantId, me.aadObjectId)))) {
          await context.sendActivity(strings.goals.noActive);
          return;
        }
        const result = await deps.goals.teacherAct(dialogue, me.aadObjectId, input);
        await sendReply(context, deps, strings, result.dialogue, result.participation, result.reply);
      }),
    );
  teacherCommand('resume', { kind: 'resume' });
  teacherCommand('pause', { kind: 'pause' });
  teacherCommand('back', { kind: 'back' });
  teacherCommand('cancel', { kind: 'cancel' });

  // Typed text while writing is the answer to the current step.
  app.message(
    async (context) => (await isFreeText(context)) && (await isWritingTurn(context, deps)),
    (context) =>
      replyWithExpectedErrors(context, deps, async () => {
        const strings = turnStrings(context, deps);
        const me = personOf(context);
        const dialogue = await deps.goals.teacherDialogue(me.tenantId, me.aadObjectId);
        if (!dialogue) {
          await context.sendActivity(strings.goals.noActive);
          return;
        }
        const result = await deps.goals.teacherAct(dialogue, me.aadObjectId, { kind: 'answer', text: context.activity.text ?? '' });
        await sendReply(context, deps, strings, result.dialogue, result.participation, result.reply);
      }),
  );

  app.message(isCommand('myGoals'), async (context) => {
    const me = personOf(context);
    const rows = await deps.goals.teacherDialogues(me.tenantId, me.aadObjectId);
    await context.sendActivity(cardMessage(myGoalsCard(turnStrings(context, deps), languageOfTurn(context, deps.defaultLocale), rows)));
  });

  // --- The principal, in their 1:1 chat ---

  app.message(isCommand('showGoals'), async (context) => {
    const strings = turnStrings(context, deps);
    const me = personOf(context);
    const actor = await actorOf(context, deps);
    if (deps.organisation.schoolsManagedBy(actor).length === 0) {
      const rows = await deps.goals.teacherDialogues(me.tenantId, me.aadObjectId);
      await context.sendActivity(cardMessage(myGoalsCard(strings, languageOfTurn(context, deps.defaultLocale), rows)));
      return;
    }
    await context.sendActivity(cardMessage(await overviewCard(context, deps, actor)));
  });

  on(VERBS.principalOverview, async (context) => ({ card: await overviewCard(context, deps, await actorOf(context, deps)) }));

  on(VERBS.principalOpen, async (context) => {
    const { dialogueId, teacher } = teacherRefSchema.parse(actionData(context));
    const me = personOf(context);
    const view = await deps.goals.teacherGoalsForPrincipal(me.tenantId, dialogueId, teacher, await actorOf(context, deps));
    const unreachable = await deps.delivery.unreachable(view.dialogue);
    const state = participantState(view.participation, !unreachable.has(teacher));
    return { card: participantGoalsCard(turnStrings(context, deps), view.dialogue, view.participation, state, view.confirmed?.goals, view.notes) };
  });

  on(VERBS.principalNotes, async (context) => {
    const strings = turnStrings(context, deps);
    const data = notesSchema.parse(actionData(context));
    if (data.notes.length > MAX_NOTES_CHARS) return { message: strings.goals.principal.notesTooLong(MAX_NOTES_CHARS) };
    const me = personOf(context);
    const actor = await actorOf(context, deps);
    await deps.goals.saveTalkNotes(me.tenantId, data.dialogueId, data.teacher, actor, data.notes, data.talkHeldOn || undefined);
    const view = await deps.goals.teacherGoalsForPrincipal(me.tenantId, data.dialogueId, data.teacher, actor);
    const unreachable = await deps.delivery.unreachable(view.dialogue);
    const state = participantState(view.participation, !unreachable.has(data.teacher));
    return { card: participantGoalsCard(strings, view.dialogue, view.participation, state, view.confirmed?.goals, view.notes, true) };
  });

  on(VERBS.dialogueClose, async (context) => {
    const { dialogueId } = dialogueRefSchema.parse(actionData(context));
    const me = personOf(context);
    const actor = await actorOf(context, deps);
    const closed = await deps.goals.closeDialogue(me.tenantId, dialogueId, actor);
    await context.sendActivity(turnStrings(context, deps).goals.principal.closedNow(closed.title));
    return { card: await overviewCard(context, deps, actor) };
  });
}

// --- Parsing what cards send ---

const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const indexSchema = z.coerce.number().int().min(0).max(2);
const dialogueRefSchema = z.object({ dialogueId: z.string().min(1) });
const teacherRefSchema = dialogueRefSchema.extend({ teacher: z.string().min(1) });
const notesSchema = teacherRefSchema.extend({ notes: z.string().default(''), talkHeldOn: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/).optional() });
const editSchema = dialogueRefSchema.extend({ goalIndex: indexSchema, step: z.enum(GOAL_STEPS) });
const answerSchema = editSchema.extend({ answer: z.string().optional(), goalIds: z.string().optional() });

function parseStartForm(data: Record<string, unknown>): StartFormValues & { title: string } {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const parsed = startInputSchema.safeParse({
    title: text('title'),
    goalIds: splitList(text('goalIds')),
    deadline: text('deadline'),
    participantMode: text('participantMode') === 'chosen' ? 'chosen' : 'everyone',
    participantIds: splitList(text('participantIds')),
    reminders: text('reminders') !== 'false',
  });
  if (parsed.success) return parsed.data;
  // Invalid shapes are reported by validation in the service, with the form kept as sent.
  return {
    title: text('title').slice(0, 100),
    goalIds: splitList(text('goalIds')),
    deadline: text('deadline'),
    participantMode: text('participantMode') === 'chosen' ? 'chosen' : 'everyone',
    participantIds: splitList(text('participantIds')),
    reminders: text('reminders') !== 'false',
  };
}

// --- Who and where ---

export function personOf(context: TurnContext): { tenantId: string; aadObjectId: string } {
  const tenantId = tenantIdOf(context.activity);
  const aadObjectId = context.activity.from?.aadObjectId;
  if (!tenantId || !aadObjectId) throw new AppError('NOT_ALLOWED', 'no tenant or user id on the activity', { action: 'manage' });
  return { tenantId, aadObjectId };
}

export function memberOf(context: TurnContext): Member {
  const { aadObjectId } = personOf(context);
  return { aadObjectId, userId: context.activity.from.id, name: context.activity.from.name ?? '' };
}

export async function actorOf(context: TurnContext, deps: BotDeps): Promise<Actor> {
  const { aadObjectId } = personOf(context);
  const actor: Actor = { aadObjectId };
  if (deps.organisation.schoolsManagedBy(actor).length > 0) return actor;
  return { aadObjectId, upn: await deps.roster.upnOf(context) };
}

export function teamOf(context: TurnContext): { teamId?: string; aadGroupId?: string } {
  if (conversationKindOf(context.activity) !== 'channel') return {};
  const team = (context.activity.channelData as { team?: { id?: string; aadGroupId?: string } } | undefined)?.team;
  return { teamId: team?.id, aadGroupId: team?.aadGroupId };
}

function channelOf(context: TurnContext, deps: BotDeps): ChannelRef {
  const { tenantId } = personOf(context);
  const conversationId = baseConversationId(context.activity.conversation?.id ?? '');
  return {
    tenantId,
    conversationId,
    serviceUrl: context.activity.serviceUrl,
    ...teamOf(context),
    botId: context.activity.recipient?.id,
    language: languageOfTurn(context, deps.defaultLocale),
  };
}

/** The team's members without the acting principal. */
async function otherMembers(context: TurnContext, deps: BotDeps): Promise<Member[]> {
  const me = context.activity.from?.aadObjectId;
  return (await deps.roster.members(context)).filter((member) => member.aadObjectId !== me);
}

export function turnStrings(context: TurnContext, deps: BotDeps): Strings {
  return stringsFor(languageOfTurn(context, deps.defaultLocale));
}

export function isCommand(id: string) {
  return async (context: TurnContext): Promise<boolean> =>
    context.activity.type === ActivityTypes.Message &&
    matchCommand(commandText(context.activity), conversationKindOf(context.activity))?.id === id;
}

async function isFreeText(context: TurnContext): Promise<boolean> {
  const { activity } = context;
  return (
    activity.type === ActivityTypes.Message &&
    conversationKindOf(activity) === 'personal' &&
    activity.value === undefined &&
    commandText(activity).length > 0 &&
    matchCommand(commandText(activity), 'personal') === undefined
  );
}

export async function isWritingTurn(context: TurnContext, deps: BotDeps): Promise<boolean> {
  const tenantId = tenantIdOf(context.activity);
  const aadObjectId = context.activity.from?.aadObjectId;
  return Boolean(tenantId && aadObjectId && (await deps.goals.isWriting(tenantId, aadObjectId)));
}

function tomorrow(deps: BotDeps): string {
  return addDays(localDateOf(deps.now(), deps.timeZone), 1);
}

// --- Replies ---

export async function replyWithExpectedErrors(context: TurnContext, deps: BotDeps, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isAppError(error)) throw error;
    await context.sendActivity(appErrorMessage(error, languageOfTurn(context, deps.defaultLocale)));
  }
}

export function statusCardFor(strings: Strings, language: Language, dialogue: Dialogue, total: number): AdaptiveCard {
  return dialogueStatusCard(strings, language, dialogue, { total, done: 0, inProgress: 0, notReached: {} });
}

async function teacherCardAction(
  context: TurnContext,
  deps: BotDeps,
  toInput: (participation: Participation) => FlowInput | undefined,
): Promise<CardActionResult> {
  const strings = turnStrings(context, deps);
  const me = personOf(context);
  const { dialogueId } = dialogueRefSchema.parse(actionData(context));
  const dialogue = await deps.goals.teacherDialogue(me.tenantId, me.aadObjectId, dialogueId);
  if (!dialogue) throw new AppError('NOT_FOUND', 'not a participant of that dialogue');
  const participation = await deps.goals.participation(dialogue, me.aadObjectId);
  if (!participation) throw new AppError('NOT_FOUND', 'no participation');
  const input = toInput(participation);
  if (!input) return { card: cardForReply(strings, dialogue, participation, currentReply(participation)) ?? goalSummaryCard(strings, dialogue, participation.goals, { readOnly: false }) };
  const result = await deps.goals.teacherAct(dialogue, me.aadObjectId, input);
  const card = cardForReply(strings, result.dialogue, result.participation, result.reply);
  const text = textForReply(strings, result.dialogue, result.reply);
  if (result.reply.kind === 'confirmed') {
    // The copy the teacher keeps, as its own message; the clicked card becomes read-only.
    await context.sendActivity(text ?? '');
    const copy = goalSummaryCard(strings, result.dialogue, result.participation.goals, { readOnly: true, title: `${strings.goals.summary.title} · ${result.dialogue.title}` });
    await context.sendActivity(cardMessage(copy));
    return { card: copy };
  }
  if (card && text) await context.sendActivity(text);
  if (card) return { card };
  return { message: text ?? '' };
}

function currentReply(participation: Participation): FlowReply {
  const { cursor } = participation;
  return cursor.step === 'summary' ? { kind: 'summary' } : { kind: 'ask', goalIndex: cursor.goalIndex, step: cursor.step, followUp: false };
}

function cardForReply(strings: Strings, dialogue: Dialogue, participation: Participation, reply: FlowReply): AdaptiveCard | undefined {
  switch (reply.kind) {
    case 'ask':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, reply.step, reply.followUp);
    case 'summary':
      return goalSummaryCard(strings, dialogue, participation.goals, { readOnly: false });
    case 'nothingToUndo':
    case 'tooLong':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, reply.step, false);
    case 'invalidGoals':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, 'schoolGoals', false);
    case 'maxGoals':
      return goalSummaryCard(strings, dialogue, participation.goals, { readOnly: false });
    default:
      return undefined;
  }
}

function textForReply(strings: Strings, dialogue: Dialogue, reply: FlowReply): string | undefined {
  const goals = strings.goals;
  switch (reply.kind) {
    case 'confirmed':
      return reply.late ? goals.confirmedLate(dialogue.principal.name) : goals.confirmed(dialogue.principal.name);
    case 'paused':
      return goals.paused;
    case 'cancelled':
      return goals.cancelled;
    case 'tooLong':
      return goals.tooLong(reply.length, 4000);
    case 'invalidGoals':
      return goals.invalidGoals;
    case 'maxGoals':
      return goals.maxGoals;
    case 'closed':
      return goals.closed;
    case 'nothingToUndo':
      return goals.nothingToUndo;
    default:
      return undefined;
  }
}

/** A reply to typed text: the card for the next step, with any message first. */
async function sendReply(context: TurnContext, deps: BotDeps, strings: Strings, dialogue: Dialogue, participation: Participation, reply: FlowReply): Promise<void> {
  const text = textForReply(strings, dialogue, reply);
  if (text) await context.sendActivity(text);
  if (reply.kind === 'confirmed') {
    await context.sendActivity(
      cardMessage(goalSummaryCard(strings, dialogue, participation.goals, { readOnly: true, title: `${strings.goals.summary.title} · ${dialogue.title}` })),
    );
    return;
  }
  const card = cardForReply(strings, dialogue, participation, reply);
  if (card) {
    const activity = cardMessage(card);
    // The question in plain text too, for notifications and screen readers.
    if (reply.kind === 'ask') activity.summary = goalQuestionText(strings, dialogue, reply.step, reply.followUp);
    await context.sendActivity(activity);
  }
  void deps;
}

async function overviewCard(context: TurnContext, deps: BotDeps, actor: Actor): Promise<AdaptiveCard> {
  const me = personOf(context);
  const dialogues = await deps.goals.principalDialogues(me.tenantId, actor);
  const entries = await Promise.all(
    dialogues.map(async (dialogue) => {
      const participants = await deps.goals.participantStates(dialogue, await deps.delivery.unreachable(dialogue));
      const done = participants.filter((p) => p.state === 'done' || p.state === 'late').length;
      return { dialogue, done, participants };
    }),
  );
  return principalOverviewCard(turnStrings(context, deps), languageOfTurn(context, deps.defaultLocale), entries);
}
