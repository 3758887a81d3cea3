import type { Application, TurnState } from '@microsoft/teams-ai';
import {
  dialogueStartCard,
  dialogueTitle,
  dialogueStatusCard,
  MAX_NOTES_CHARS,
  myGoalsCard,
  participantGoalsCard,
  principalOverviewCard,
  type StartFormValues,
} from '../cards/goalViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { type Dialogue, participantState } from '../domain/goalDialogue';
import { addDays, localDateOf } from '../time';
import { dialogueRefSchema, parseStartForm, talkNotesSchema, teacherRefSchema } from '../domain/goalDialogueForms';
import { type ChannelRef, defaultDialogueTitle, type DialogueTerm, type Member } from '../domain/goalDialogueService';
import { formIdOf, newFormId } from '../domain/formIds';
import type { Actor } from '../domain/organisation';
import { type Language, type Strings, stringsFor } from '../i18n';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
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
      const { strings } = turn;
      const school = deps.goals.schoolForManagement(turn.where.team, await turn.actor());
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
      // The form becomes the status card: the dialogue is created knowing where its card is.
      const formActivityId = context.activity.replyToId;
      const result = await deps.goals.startDialogue(school, principal, { ...channelOf(turn), statusActivityId: formActivityId }, input, members, formId);
      if ('problems' in result) {
        const goals = await deps.goals.activeGoals(school.id);
        const open = await openDialoguesOf(turn, deps, school.id);
        return { card: dialogueStartCard(strings, school, goals, members, input, tomorrow(deps), result.problems, formId, open) };
      }
      const card = statusCardFor(strings, turn.language, result.dialogue, result.dialogue.participants.length);
      // The form became this dialogue already (submitted twice): the same answer, nothing started again.
      if (result.existing) return { card };
      // The form becomes the status card, for everyone in the channel (the
      // invoke response alone would change it only for the principal).
      if (formActivityId) {
        await context.updateActivity({ ...cardMessage(card), id: formActivityId });
        await deps.goals.statusCardPosted(result.dialogue, formActivityId);
      } else {
        const sent = await context.sendActivity(cardMessage(card));
        await deps.goals.statusCardPosted(result.dialogue, sent?.id ?? '');
      }
      await context.sendActivity(strings.goals.startForm.invitationsGoing(result.dialogue.participants.length));
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
    if (deps.organisation.schoolsManagedBy(actor).length === 0) {
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
      return { card: participantGoalsCard(turn.strings, view.dialogue, view.participation, state, view.confirmed?.goals, view.notes) };
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
      return { card: participantGoalsCard(strings, view.dialogue, view.participation, state, view.confirmed?.goals, view.notes, true) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.dialogueClose,
    async (turn) => {
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const me = turn.person();
      const actor = await turn.actor();
      const closed = await deps.goals.closeDialogue(me.tenantId, dialogueId, actor);
      await turn.context.sendActivity(turn.strings.goals.principal.closedNow(dialogueTitle(turn.strings, closed)));
      return { card: await overviewCard(turn, deps, actor) };
    },
    deps,
  );
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

function statusCardFor(strings: Strings, language: Language, dialogue: Dialogue, total: number): AdaptiveCard {
  return dialogueStatusCard(strings, language, dialogue, { total, done: 0, inProgress: 0, notReached: {} });
}

async function overviewCard(turn: Turn, deps: BotDeps, actor: Actor): Promise<AdaptiveCard> {
  const me = turn.person();
  const dialogues = await deps.goals.principalDialogues(me.tenantId, actor);
  const entries = await Promise.all(
    dialogues.map(async (dialogue) => {
      const participants = await deps.goals.participantStates(dialogue, await deps.delivery.unreachable(dialogue));
      const done = participants.filter((p) => p.state === 'done' || p.state === 'late').length;
      return { dialogue, done, participants };
    }),
  );
  return principalOverviewCard(turn.strings, turn.language, entries);
}

function tomorrow(deps: BotDeps): string {
  return addDays(localDateOf(deps.now(), deps.timeZone), 1);
}
