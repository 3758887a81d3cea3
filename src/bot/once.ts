import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { BotDeps } from './deps';

/**
 * Each activity takes effect once (README, security: redelivery).
 *
 * Where the claim is written: before the routes run, as the first write of
 * the turn. A redelivery that arrives while the first delivery still runs
 * (Teams redelivers when the bot answers slowly) must find the claim, or
 * both would act; so the claim cannot wait until the turn is done. That
 * makes a turn at most once: a turn that fails with an unexpected error
 * releases its claim, so Teams' redelivery runs it again; a process that
 * dies mid-turn leaves the claim, and the redelivery of that activity does
 * nothing (the person sees no answer and may ask again; a new activity has a
 * new id). An invoke that is redelivered is answered 200 without a body: the
 * card stays as it is, and a later click on it is checked against where the
 * person really is (a card from an earlier step is answered as old).
 *
 * The claim is one request of its own per turn: no write that every turn
 * makes anyway is left to fold it into (the conversation reference is
 * written only when it changed, and most turns change nothing else before
 * their routes decide what to do).
 */

const CLAIMED = Symbol('målbild.claimedActivity');

interface Claim {
  conversationId: string;
  activityId: string;
}

/** True when this turn may go on: the activity is new, or carries no id to recognise it by. */
export async function claimActivity(context: TurnContext, deps: BotDeps): Promise<boolean> {
  const activityId = context.activity.id;
  const conversationId = context.activity.conversation?.id;
  if (!activityId || !conversationId) return true;
  if (!(await deps.processedActivities.claim(conversationId, activityId, deps.now()))) return false;
  context.turnState.set(CLAIMED, { conversationId, activityId } satisfies Claim);
  return true;
}

/** After an unexpected failure: forget this turn's claim, so that a redelivery runs the turn again. */
export async function releaseActivity(context: TurnContext, deps: BotDeps): Promise<void> {
  const claim = context.turnState.get<Claim | undefined>(CLAIMED);
  if (!claim) return;
  context.turnState.delete(CLAIMED);
  try {
    await deps.processedActivities.release(claim.conversationId, claim.activityId);
  } catch (error) {
    deps.logger.warn({ err: error, activityId: claim.activityId }, 'could not release the claim of a failed turn; its redelivery will be ignored');
  }
}

/** A redelivered activity: nothing happens again; an invoke is answered 200 (Teams expects an answer to every invoke). */
export async function answerRedelivery(context: TurnContext): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
}
