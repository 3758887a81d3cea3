import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { type CheckInViewer, checkInCard } from '../cards/groupCheckInViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import type { CheckIn, Group, Phase } from '../domain/learningGroup';
import { checkInIdSchema } from '../domain/learningGroupForms';
import { postCheckIn as postGroupCheckIn, repostCheckIn } from '../effects/learningGroups';
import { formatDate } from '../cards/goalViews';
import { actionData, onCardAction, verbOf } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { sendAsNewPost } from './newPost';
import { claimedBySave, deferClaim, deferredActivityId, redelivered } from './once';
import { groupAccess, groupHere, onGroupCommand } from './learningGroupReplies';
import { type Turn, turnOf } from './turn';

/**
 * Lärgrupper's check-ins: posted in the group's conversation (on command, or
 * when a Teams meeting in whose chat the group lives starts or ends), and
 * answered by each member in the card, which shows them their own view.
 *
 * A check-in is always a new post in the group's conversation, whoever or
 * whatever posts it (the scheduler, `incheckning`, the group card's button,
 * a meeting event): the whole group answers it, so it must not hide in the
 * thread of the one who asked (see newPost.ts). In a channel the command
 * gets a short reply in its thread pointing to the new post; the button's
 * answer says it is posted.
 */
export function registerLearningGroupCheckIns(app: Application<TurnState>, deps: BotDeps): void {
  onGroupCommand(app, deps, 'checkIn', VERBS.groupCheckInNow, 'post', async (turn, group) => {
    const done = await offeredCheckIn(turn, deps, group);
    if (done) await turn.context.sendActivity(done);
    else if (turn.where.kind === 'channel') await turn.context.sendActivity(turn.strings.groups.checkIn.postedAsNewPost);
  });

  onCardAction(
    app,
    VERBS.groupCheckInNow,
    async (turn) => {
      const group = await groupHere(turn, deps, 'post');
      const done = await offeredCheckIn(turn, deps, group);
      return { message: done ?? turn.strings.groups.checkIn.posted };
    },
    deps,
  );

  onCardAction(app, VERBS.checkInView, async (turn) => ({ card: await personalCheckInCard(turn, deps, {}) }), deps);
  onCardAction(app, VERBS.checkInEdit, async (turn) => ({ card: await personalCheckInCard(turn, deps, { editing: true }) }), deps);

  onCardAction(
    app,
    VERBS.checkInAnswer,
    async (turn) => {
      const { strings, language } = turn;
      const { checkInId: id, ...input } = actionData(turn.context);
      const me = turn.person();
      const goalChoices = await goalChoicesOf(deps, me);
      const via = turn.where.kind === 'personal' ? 'personal' : 'group';
      const activityId = deferredActivityId(turn.context);
      const choices = new Set(goalChoices.map((c) => c.value));
      const result = await deps.groups.answer(groupAccess(turn), checkInIdSchema.parse(id), input, via, choices, activityId);
      // Answered 200 without a body, as every redelivered invoke (once.ts).
      if ('redelivered' in result) {
        redelivered(turn.context, deps);
        return { message: '' };
      }
      if ('answer' in result && activityId) claimedBySave(turn.context);
      const viewer: CheckInViewer = { mode: 'person', aadObjectId: me.aadObjectId, goalChoices };
      if ('problems' in result) return { card: checkInCard(strings, language, deps.timeZone, result.view, { ...viewer, input, problems: result.problems }) };
      if ('closed' in result) return { card: checkInCard(strings, language, deps.timeZone, result.view, viewer) };
      return { card: checkInCard(strings, language, deps.timeZone, result.view, { ...viewer, notice: strings.groups.checkIn.thanks }) };
    },
    deps,
  );

  // --- Teams meetings: the start and end of a meeting in whose chat a group lives ---

  app.meetings.start(async (context) => {
    await meetingEvent(context, deps, 'before');
  });
  app.meetings.end(async (context) => {
    await meetingEvent(context, deps, 'after');
  });
}

/** A member's answer in a check-in's card: its claim is the save of her answer (see CheckInAnswers). */
export function isCheckInAnswer(context: TurnContext): boolean {
  return verbOf(context) === VERBS.checkInAnswer && Boolean(context.activity.id && context.activity.conversation?.id);
}

/**
 * Defers the claim of a check-in answer to the save of her answer, which
 * records the activity (once.ts, deferClaim). A turn that ends without
 * saving (bad input, a closed check-in, not hers) claims the ordinary way,
 * after looking for the activity in her answer: a first delivery may have
 * saved it, and the check-in closed since.
 */
export function deferCheckInAnswerClaim(context: TurnContext, deps: BotDeps): void {
  deferClaim(context, deps, async () => {
    const id = checkInIdSchema.safeParse(actionData(context).checkInId);
    const { tenantId, aadObjectId } = turnOf(context, deps).who;
    const activityId = context.activity.id;
    if (!id.success || !tenantId || !aadObjectId || !activityId) return false;
    return deps.groups.answeredBy(tenantId, id.data, aadObjectId, activityId);
  });
}

async function goalChoicesOf(deps: BotDeps, me: { tenantId: string; aadObjectId: string }) {
  return (await deps.goals.confirmedGoals(me.tenantId, me.aadObjectId)).map((goal) => ({ title: goal.text, value: goal.id }));
}

/** A check-in as the acting person sees it: their own answers, or (outside the group) what its card shows anyway. */
async function personalCheckInCard(turn: Turn, deps: BotDeps, extra: Partial<CheckInViewer>): Promise<AdaptiveCard> {
  const { strings, language } = turn;
  const me = turn.person();
  const id = checkInIdSchema.parse(actionData(turn.context).checkInId);
  // Someone outside the group sees, in the group's own conversation, what the group's card shows there anyway;
  // anywhere else (a crafted card in another chat) nothing: a named group's card carries names and answers.
  const view = await deps.groups.checkInFor(groupAccess(turn), id, 'see');
  const isMember = view.checkIn.members.some((m) => m.aadObjectId === me.aadObjectId);
  if (!isMember) return checkInCard(strings, language, deps.timeZone, view, { mode: 'person', aadObjectId: me.aadObjectId });
  const goalChoices = await goalChoicesOf(deps, me);
  return checkInCard(strings, language, deps.timeZone, view, { mode: 'person', aadObjectId: me.aadObjectId, goalChoices, ...extra });
}

/** The group's card for a check-in just opened, posted in this turn as a new post. */
async function postCheckIn(context: TurnContext, deps: BotDeps, group: Group, meetingId: string, phase: Phase): Promise<CheckIn | undefined> {
  return postGroupCheckIn(deps.groups, deps.timeZone, group, meetingId, phase, async (card) => (await sendAsNewPost(context, cardMessage(card)))?.id);
}

/**
 * Does here what `incheckning` offers for the group (see CheckInOffer): a
 * check-in posted or shown again gives nothing to say; else what to tell the
 * one who asked.
 */
async function offeredCheckIn(turn: Turn, deps: BotDeps, group: Group): Promise<string | undefined> {
  const { context, strings, language } = turn;
  const offer = await deps.groups.checkInOffer(group);
  switch (offer.kind) {
    case 'post':
      await postCheckIn(context, deps, group, offer.meeting.id, offer.phase);
      return undefined;
    case 'show':
      await repostCheckIn(deps.groups, deps.timeZone, offer.view, async (card) => (await sendAsNewPost(context, cardMessage(card)))?.id);
      return undefined;
    case 'wait':
      return strings.groups.checkIn.notYet(formatDate(offer.meeting.date, language));
    case 'none':
      return strings.groups.checkIn.nothingDue;
  }
}

async function meetingEvent(context: TurnContext, deps: BotDeps, phase: Phase): Promise<void> {
  const { who, where } = turnOf(context, deps);
  if (!who.tenantId) return;
  const today = deps.groups.today();
  for (const group of await deps.groups.groupsIn(who.tenantId, where.conversationId)) {
    const meeting = deps.groups.meetingOn(group, today);
    if (meeting) await postCheckIn(context, deps, group, meeting.id, phase);
  }
}
