import type { Application, TurnState } from '@microsoft/teams-ai';
import { learningLogCard } from '../cards/groupCheckInViews';
import { type CheckInButton, type CheckInCount, groupCard, groupChoiceCard, type MeetingCounts } from '../cards/groupViews';
import type { AdaptiveCard } from '../cards/render';
import { AppError } from '../domain/errors';
import { checkInId, type Group, meetingsInOrder } from '../domain/learningGroup';
import { authorizeGroup, type GroupAccess, type GroupNeed, mayEdit } from '../domain/learningGroupAccess';
import { groupRefSchema } from '../domain/learningGroupForms';
import type { CheckInView } from '../domain/learningGroupService';
import { actionData } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/**
 * What the learning-group routes share: the group a turn is about (named
 * by a card, or the conversation's own), always through the one check of
 * domain/learningGroupAccess.ts, and the cards that show a group.
 */

/** The tenant and conversation a group lives in; a turn without a tenant may not touch groups. */
export function groupPlace(turn: Turn): { tenantId: string; conversationId: string } {
  const { tenantId } = turn.who;
  if (!tenantId) throw new AppError('NOT_ALLOWED', 'no tenant', { action: 'editGroup' });
  return { tenantId, conversationId: turn.where.conversationId };
}

/** Who acts, and where: what every learning-group check is decided on (never a card's data). */
export function groupAccess(turn: Turn): GroupAccess {
  const { aadObjectId, userId, name } = turn.person();
  return { ...groupPlace(turn), person: { aadObjectId, userId, name } };
}

/** The group named by a card's data, if the one acting may have `need` of it here (whatever a crafted card claims). */
export async function groupHere(turn: Turn, deps: BotDeps, need: GroupNeed): Promise<Group> {
  const { groupId } = groupRefSchema.parse(actionData(turn.context));
  return deps.groups.groupFor(groupAccess(turn), groupId, need);
}

/** A group command: acts on the conversation's group; with several groups here it asks which one, a button (`verb`) per group. */
export function onGroupCommand(
  app: Application<TurnState>,
  deps: BotDeps,
  command: 'group' | 'checkIn' | 'groupLog',
  verb: string,
  need: GroupNeed,
  act: (turn: Turn, group: Group) => Promise<void>,
): void {
  app.message(isCommand(command), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const { tenantId, conversationId } = groupPlace(turn);
      const groups = await deps.groups.groupsIn(tenantId, conversationId);
      if (groups.length === 0) await context.sendActivity(turn.strings.groups.none);
      // The one group here goes through the same check as a card naming it; a choice's button does when pressed.
      else if (groups.length === 1) await act(turn, authorizeGroup(groups[0], groupAccess(turn), need));
      else await context.sendActivity(cardMessage(groupChoiceCard(turn.strings, groups, verb)));
    });
  });
}

/**
 * The group's card: its meetings, and how many answered each check-in (as
 * the group's privacy allows). `for` says who sees it: `everyone` (a card
 * posted or updated in the conversation) or `me`, the one acting (an
 * Action.Execute's answer, a refresh), who gets the editing buttons when
 * she may use them.
 */
export async function groupCardOf(turn: Turn, deps: BotDeps, group: Group, audience: GroupCardAudience): Promise<AdaptiveCard> {
  return (await groupCardsOf(turn, deps, group))(audience);
}

export type GroupCardAudience = 'everyone' | 'me';

/** What the group's card shows, read once: its card for either audience (the card for everyone and the answer to the one acting, in one turn). */
export async function groupCardsOf(turn: Turn, deps: BotDeps, group: Group): Promise<(audience: GroupCardAudience) => AdaptiveCard> {
  const history = await deps.groups.history(group);
  const counts = (view?: CheckInView): CheckInCount | undefined =>
    !view ? undefined : view.aggregate.visible ? { answered: view.aggregate.answered, members: view.aggregate.members } : { hidden: true };
  const now = deps.now().getTime();
  const meetings: MeetingCounts[] = meetingsInOrder(group).map((meeting) => ({
    date: meeting.date,
    past: deps.groups.meetingTimes(group, meeting).end.getTime() <= now,
    before: counts(history.find((v) => v.checkIn.id === checkInId(group.id, meeting.id, 'before'))),
    after: counts(history.find((v) => v.checkIn.id === checkInId(group.id, meeting.id, 'after'))),
  }));
  const offer = await deps.groups.checkInOffer(group);
  const button: CheckInButton =
    offer.kind === 'post'
      ? { kind: 'post', phase: offer.phase, date: offer.meeting.date }
      : offer.kind === 'show'
        ? { kind: 'show', phase: offer.view.checkIn.phase, date: group.meetings.find((m) => m.id === offer.view.checkIn.meetingId)?.date ?? '' }
        : { kind: 'none' };
  return (audience) => {
    const viewer = audience === 'me' && mayEdit(group, turn.person()) ? 'editor' : 'everyone';
    return groupCard(turn.strings, turn.language, group, meetings, button, viewer);
  };
}

export async function logCardOf(turn: Turn, deps: BotDeps, group: Group): Promise<AdaptiveCard> {
  const history = await deps.groups.history(group);
  return learningLogCard(turn.strings, turn.language, group, turn.strings.schoolYear.yearName(schoolYearOfGroup(deps, group)), history);
}

/** The läsår a group's log belongs to: the one its first meeting is in, else the one it was created in. */
function schoolYearOfGroup(deps: BotDeps, group: Group) {
  return deps.organisation.schoolYearOn(group.meetings[0]?.date ?? group.createdAt.slice(0, 10));
}
