import { AppError } from './errors';
import type { CheckInView, Group } from './learningGroup';

/**
 * Who may do what with a learning group: the one check every entry goes
 * through (a typed command, a card's Action.Execute, a refresh), decided on
 * the server from the turn alone (its tenant, its conversation, the acting
 * person), never from what a card's data claims.
 *
 * | need     | who, and where                                                        |
 * |----------|-----------------------------------------------------------------------|
 * | see      | anyone in the group's own conversation (its card, its learning log)   |
 * | post     | a member or the facilitator, in the group's conversation (check-ins)  |
 * | edit     | the facilitator or whoever created it, in the group's conversation   |
 *
 * A group of another conversation (or tenant) is answered as if it did not
 * exist: a crafted card learns nothing about it, not even that it exists.
 *
 * Check-ins: a member may see and answer theirs anywhere (the reminder comes
 * in 1:1); someone else sees a check-in only in the group's conversation,
 * where its card is shown to everyone anyway, and may never answer.
 */

/** The acting person and where the turn happens. */
export interface GroupAccess {
  tenantId: string;
  conversationId: string;
  person: { aadObjectId: string; userId: string; name: string };
}

export type GroupNeed = 'see' | 'post' | 'edit';
export type CheckInNeed = 'see' | 'answer';

/** The facilitator (or whoever created the group) may change it. */
export function mayEdit(group: Group, actor: { aadObjectId: string }): boolean {
  return group.facilitator.aadObjectId === actor.aadObjectId || group.createdBy === actor.aadObjectId;
}

function isMember(group: Pick<Group, 'members'>, actor: { aadObjectId: string }): boolean {
  return group.members.some((m) => m.aadObjectId === actor.aadObjectId);
}

/** The group, when `access` may have `need` of it; else NOT_FOUND (elsewhere) or NOT_ALLOWED (here, but not theirs to do). */
export function authorizeGroup(group: Group | undefined, access: GroupAccess, need: GroupNeed): Group {
  if (!group || group.tenantId !== access.tenantId || group.conversation.conversationId !== access.conversationId) {
    throw new AppError('NOT_FOUND', 'no such group here');
  }
  const actor = access.person;
  if (need === 'edit' && !mayEdit(group, actor)) throw new AppError('NOT_ALLOWED', 'not the facilitator', { action: 'editGroup' });
  if (need === 'post' && !isMember(group, actor) && !mayEdit(group, actor)) {
    throw new AppError('NOT_ALLOWED', 'not a member', { action: 'postCheckIn' });
  }
  return group;
}

/** The check-in, when `access` may have `need` of it; else NOT_ALLOWED (nothing of it is shown). */
export function authorizeCheckIn(view: CheckInView, access: GroupAccess, need: CheckInNeed): CheckInView {
  if (view.checkIn.tenantId !== access.tenantId) throw new AppError('NOT_FOUND', 'no such check-in');
  // Members are those it was posted to: who may answer, who is counted.
  if (isMember(view.checkIn, access.person)) return view;
  if (need === 'see' && view.group.conversation.conversationId === access.conversationId) return view;
  throw new AppError('NOT_ALLOWED', 'not a member', { action: 'checkIn' });
}
