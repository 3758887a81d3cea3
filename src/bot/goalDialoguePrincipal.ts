import type { Application, TurnState } from '@microsoft/teams-ai';
import { dialogueStartCard, dialogueStartedCard, type OverviewOptions, principalOverviewCard, type StartFormValues } from '../cards/goalPrincipalViews';
import { dialogueTitle, MAX_NOTES_CHARS, myGoalsCard, participantGoalsCard, stringsForDialogue } from '../cards/goalViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { AppError } from '../domain/errors';
import { participantState } from '../domain/goalDialogue';
import type { ReminderOutcome } from '../domain/goalDialogueManagement';
import { addDays, localDateOf } from '../time';
import { dialogueRefSchema, parseStartForm, talkNotesSchema, teacherRefSchema } from '../domain/goalDialogueForms';
import { type ChannelRef, defaultDialogueTitle, type DialogueTerm, type Member } from '../domain/goalDialogueService';
import { formIdOf, newFormId } from '../domain/formIds';
import type { Actor } from '../domain/organisation';
import { type Strings, stringsFor } from '../i18n';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import { cascadeOf } from './goalChain';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/** How long teachers have by default to write their goals. */
const DEFAULT_DEADLINE_DAYS = 21;

/** Målsamtal for the principal: started in the staff team's channel, followed and closed in 1:1. */
export function registerGoalDialoguePrincipal(app: Application<TurnState>, deps: BotDeps): void {
  // --- In the staff team's channel ---

  app.message(isCommand('startDialogue'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const school = deps.goals.schoolForManagement(turn.where.team, await turn.actor());
      // In the principals' team the managers start the principals' målsamtal, one level up.
      const strings = stringsForDialogue(turn.strings, { schoolId: school.id });
      const goals = await deps.goals.activeGoals(school.id);
      if (goals.length === 0) {
        await context.sendActivity(strings.goals.startForm.noGoals);
        return;
      }
      const members = await otherMembers(turn, deps);
      const now = deps.now();
      const { term, year } = defaultDialogueTitle(now, deps.timeZone);
      const values: StartFormValues = {
        title: strings.goals.defaultTitle(term, year),
        goalIds: goals.map((goal) => goal.id),
        deadline: addDays(localDateOf(now, deps.timeZone), DEFAULT_DEADLINE_DAYS),
        participantMode: 'everyone',
        participantIds: [],
        reminders: true,
      };
      const open = await openDialoguesOf(turn, deps, school.id);
      await context.sendActivity(cardMessage(dialogueStartCard(strings, school, goals, members, values, tomorrow(deps), [], newFormId(now), open)));
    });
  });

  onCardAction(
    app,
    VERBS.dialogueStart,
    async (turn) => {
      const { context, strings } = turn;
      const school = deps.goals.schoolForManagement(turn.where.team, await turn.actor());
      const form = parseStartForm(actionData(context));
      const input = { ...form, term: suggestedTermKept(form.title, deps) };
      const members = await otherMembers(turn, deps);
      const { aadObjectId, userId, name } = turn.person();
      const principal: Member = { aadObjectId, userId, name };
      const formId = formIdOf(actionData(context));
      // The status card becomes a new post in the channel; the thread and its form are where it goes if the channel refuses.
      const formActivityId = context.activity.replyToId;
      const thread = { conversationId: context.activity.conversation.id, ...(formActivityId ? { formActivityId } : {}) };
      const result = await deps.goals.startDialogue(school, principal, { ...channelOf(turn), thread }, input, members, formId);
      if ('problems' in result) {
        const goals = await deps.goals.activeGoals(school.id);
        const open = await openDialoguesOf(turn, deps, school.id);
        return { card: dialogueStartCard(strings, school, goals, members, input, tomorrow(deps), result.problems, formId, open) };
      }
      const card = dialogueStartedCard(strings, turn.language, result.dialogue);
      // The form became this dialogue already (submitted twice): the same answer, nothing started again.
      if (result.existing) return { card };
      // The form says where the status card is, for everyone in the channel (the
      // invoke response alone would change it only for the principal).
      if (formActivityId) await context.updateActivity({ ...cardMessage(card), id: formActivityId });
      // The status card itself goes up as a new post, in the background: this answers at once.
      await deps.goals.startedWithoutCard(result.dialogue);
      await context.sendActivity(stringsForDialogue(strings, result.dialogue).goals.startForm.invitationsGoing(result.dialogue.participants.length));
      deps.logger.info({ dialogueId: result.dialogue.id, participants: result.dialogue.participants.length }, 'goal dialogue started');
      return { card };
    },
    deps,
  );

  // --- In their 1:1 chat ---

  app.message(isCommand('showGoals'), async (context) => {
    const turn = turnOf(context, deps);
    const me = turn.person();
    const actor = await turn.actor();
    if (deps.organisation.unitsManagedBy(actor).length === 0) {
      // A teacher who asks sees their own goals.
      const rows = await deps.goals.teacherDialogues(me.tenantId, me.aadObjectId);
      await context.sendActivity(cardMessage(myGoalsCard(turn.strings, turn.language, rows)));
      return;
    }
    await context.sendActivity(cardMessage(await overviewCard(turn, deps, actor)));
  });

  onCardAction(app, VERBS.principalOverview, async (turn) => ({ card: await overviewCard(turn, deps, await turn.actor()) }), deps);

  onCardAction(
    app,
    VERBS.principalOpen,
    async (turn) => {
      const { dialogueId, teacher } = teacherRefSchema.parse(actionData(turn.context));
      const me = turn.person();
      const view = await deps.goals.teacherGoalsForPrincipal(me.tenantId, dialogueId, teacher, await turn.actor());
      const unreachable = await deps.delivery.unreachable(view.dialogue);
      const state = participantState(view.participation, !unreachable.has(teacher));
      const cascade = await cascadeOf(turn, deps, view.dialogue, view.participation);
      return { card: participantGoalsCard(turn.strings, view.dialogue, view.participation, state, view.confirmed?.goals, view.notes, false, cascade) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.principalNotes,
    async (turn) => {
      const { strings } = turn;
      const data = talkNotesSchema.parse(actionData(turn.context));
      if (data.notes.length > MAX_NOTES_CHARS) return { message: strings.goals.principal.notesTooLong(MAX_NOTES_CHARS) };
      const me = turn.person();
      const actor = await turn.actor();
      await deps.goals.saveTalkNotes(me.tenantId, data.dialogueId, data.teacher, actor, data.notes, data.talkHeldOn || undefined);
      const view = await deps.goals.teacherGoalsForPrincipal(me.tenantId, data.dialogueId, data.teacher, actor);
      const unreachable = await deps.delivery.unreachable(view.dialogue);
      const state = participantState(view.participation, !unreachable.has(data.teacher));
      const cascade = await cascadeOf(turn, deps, view.dialogue, view.participation);
      return { card: participantGoalsCard(strings, view.dialogue, view.participation, state, view.confirmed?.goals, view.notes, true, cascade) };
    },
    deps,
  );

  // --- Closing (after a confirmation with the numbers), reopening, reminding ---

  onCardAction(
    app,
    VERBS.dialogueClose,
    async (turn) => {
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const actor = await turn.actor();
      const { dialogue, total, unfinished } = await deps.dialogueManagement.closing(turn.person().tenantId, dialogueId, actor);
      return { card: await overviewCard(turn, deps, actor, { closing: { dialogueId: dialogue.id, total, unfinished } }) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.dialogueCloseConfirm,
    async (turn) => {
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const actor = await turn.actor();
      const { dialogue, changed } = await deps.dialogueManagement.close(turn.person().tenantId, dialogueId, actor);
      // Pressed twice: closed once, said once.
      if (changed) {
        await turn.context.sendActivity(turn.strings.goals.principal.closedNow(dialogueTitle(turn.strings, dialogue)));
        deps.logger.info({ dialogueId }, 'goal dialogue closed');
      }
      return { card: await overviewCard(turn, deps, actor) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.dialogueReopen,
    async (turn) => {
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const actor = await turn.actor();
      await reopen(turn, deps, dialogueId);
      return { card: await overviewCard(turn, deps, actor) };
    },
    deps,
  );

  app.message(isCommand('reopenDialogue'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const actor = await turn.actor();
      if (deps.organisation.schoolsManagedBy(actor).length === 0) throw new AppError('NOT_ALLOWED', 'not a principal', { action: 'manage' });
      const closed = (await deps.goals.principalDialogues(turn.person().tenantId, actor)).filter((dialogue) => dialogue.status === 'closed');
      const principal = turn.strings.goals.principal;
      if (closed.length === 0) {
        await context.sendActivity(principal.noneClosed);
        return;
      }
      // One closed dialogue is the one meant; of several, the principal picks one on the overview.
      if (closed.length === 1) {
        await reopen(turn, deps, closed[0]!.id);
        return;
      }
      await context.sendActivity(principal.reopenWhich);
      await context.sendActivity(cardMessage(await overviewCard(turn, deps, actor)));
    });
  });

  onCardAction(
    app,
    VERBS.principalRemind,
    async (turn) => {
      const { dialogueId, teacher } = teacherRefSchema.parse(actionData(turn.context));
      const actor = await turn.actor();
      const { dialogue, outcome } = await deps.dialogueManagement.remind(turn.person().tenantId, dialogueId, teacher, actor);
      const name = dialogue.participants.find((person) => person.aadObjectId === teacher)?.name ?? '';
      if (outcome === 'sent') deps.logger.info({ dialogueId }, 'principal reminded a teacher');
      return { card: await overviewCard(turn, deps, actor, { notice: reminderNotice(turn.strings, outcome, name) }) };
    },
    deps,
  );
}

/** Opens a closed dialogue again and says so (once: an open one is said to be open). */
async function reopen(turn: Turn, deps: BotDeps, dialogueId: string): Promise<void> {
  const { dialogue, changed } = await deps.dialogueManagement.reopen(turn.person().tenantId, dialogueId, await turn.actor());
  const principal = turn.strings.goals.principal;
  await turn.context.sendActivity(changed ? principal.reopenedNow(dialogue.title) : principal.alreadyOpen(dialogue.title));
  if (changed) deps.logger.info({ dialogueId }, 'goal dialogue reopened');
}

function reminderNotice(strings: Strings, outcome: ReminderOutcome, name: string): string {
  const principal = strings.goals.principal;
  switch (outcome) {
    case 'sent':
      return principal.reminderSent(name);
    case 'alreadyToday':
      return principal.reminderToday(name);
    case 'finished':
      return principal.reminderFinished(name);
    case 'closed':
      return principal.reminderClosed;
  }
}

/** Where the dialogue's status card lives and its digests go: this channel. */
function channelOf(turn: Turn): ChannelRef {
  const { tenantId } = turn.person();
  const { activity } = turn.context;
  return {
    tenantId,
    conversationId: turn.where.conversationId,
    serviceUrl: activity.serviceUrl,
    ...turn.where.team,
    botId: activity.recipient?.id,
    language: turn.language,
  };
}

/** The titles of the school's goal dialogues still open, for a warning before another is started. */
async function openDialoguesOf(turn: Turn, deps: BotDeps, schoolId: string): Promise<string[]> {
  const dialogues = await deps.goals.principalDialogues(turn.person().tenantId, await turn.actor());
  return dialogues.filter((dialogue) => dialogue.schoolId === schoolId && dialogue.status === 'open').map((dialogue) => dialogueTitle(turn.strings, dialogue));
}

/**
 * The term when the principal kept the suggested title (in either language):
 * the dialogue then carries its term and every reader sees the title in
 * their own language (Dialogue.term).
 */
function suggestedTermKept(title: string, deps: BotDeps): DialogueTerm | undefined {
  const { term, year } = defaultDialogueTitle(deps.now(), deps.timeZone);
  const kept = (['sv', 'en'] as const).some((language) => stringsFor(language).goals.defaultTitle(term, year) === title.trim());
  return kept ? { term, year } : undefined;
}

/** The team's members without the acting principal. */
async function otherMembers(turn: Turn, deps: BotDeps): Promise<Member[]> {
  const me = turn.who.aadObjectId;
  return (await deps.roster.members(turn.context)).filter((member) => member.aadObjectId !== me);
}

async function overviewCard(turn: Turn, deps: BotDeps, actor: Actor, extra: Pick<OverviewOptions, 'notice' | 'closing'> = {}): Promise<AdaptiveCard> {
  const entries = await deps.dialogueManagement.overview(turn.person().tenantId, actor, (dialogue) => deps.delivery.unreachable(dialogue));
  return principalOverviewCard(turn.strings, turn.language, entries, { now: deps.now(), timeZone: deps.timeZone, ...extra });
}

function tomorrow(deps: BotDeps): string {
  return addDays(localDateOf(deps.now(), deps.timeZone), 1);
}
