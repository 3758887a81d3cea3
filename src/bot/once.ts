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
 *
 * Except a teacher's goal step in her 1:1 chat (deferClaim): its claim is
 * the save of her participation, which records the activity's id under the
 * ETag it was read with (goalDialogueSteps.ts, teacherAct). Of two
 * deliveries of the same activity at once, one saves and the other, on its
 * retry, finds the id and does nothing; a redelivery later finds it at once.
 * Such a turn that ends without that save (no dialogue, not writing, an
 * expected error, typed text that was no answer) claims the activity the
 * ordinary way before it sends anything, after looking for the id among her
 * participations: a first delivery may have moved her goals and her pointer
 * (a pause, a confirmation), so that its redelivery takes another route.
 * A goal step that fails after its save keeps its claim (the move is made;
 * its redelivery does nothing); one that fails before it claims nothing.
 *
 * A member's check-in answer is claimed the same way: by the save of her
 * answer, which records the activity (learningGroupAnswers.ts); its
 * `handledBefore` looks for the id in her answer to that check-in.
 */

const CLAIMED = Symbol('målbild.claimedActivity');
const DEFERRED = Symbol('målbild.deferredClaim');

interface Claim {
  conversationId: string;
  activityId: string;
}

/** True when this turn may go on: the activity is new, or carries no id to recognise it by. */
export async function claimActivity(context: TurnContext, deps: BotDeps): Promise<boolean> {
  const activityId = context.activity.id;
  const conversationId = context.activity.conversation?.id;
  if (!activityId || !conversationId) return true;
  // A people search (typeahead) reads and changes nothing: answered again, it answers the same. Every keystroke would otherwise write a row.
  if (context.activity.type === 'invoke' && context.activity.name === 'application/search') return true;
  if (!(await deps.processedActivities.claim(conversationId, activityId, deps.now()))) return false;
  context.turnState.set(CLAIMED, { conversationId, activityId } satisfies Claim);
  return true;
}

/** Where a deferred claim stands: not yet made, made (by the save or the ordinary way), found made before, or given up by a failed turn. */
interface Deferred {
  state: 'open' | 'claimed' | 'redelivered' | 'released';
  settling?: Promise<boolean>;
}

/**
 * A teacher's goal step: the claim waits for her participation's save
 * (claimedBySave, redelivered). Until then, whatever the turn sends first
 * claims the activity: `handledBefore` looks for it among her
 * participations, then the ordinary claim is made; for a redelivery nothing
 * is sent, and an invoke is answered 200 without a body.
 */
export function deferClaim(context: TurnContext, deps: BotDeps, handledBefore: () => Promise<boolean>): void {
  const deferred: Deferred = { state: 'open' };
  context.turnState.set(DEFERRED, deferred);
  context.onSendActivities(async (turnContext, activities, next) => {
    if (await settle(turnContext, deps, deferred, handledBefore)) return next();
    if (!activities.some((activity) => activity.type === ActivityTypes.InvokeResponse)) return [];
    activities.splice(0, activities.length, { type: ActivityTypes.InvokeResponse, value: { status: 200 } });
    return next();
  });
}

function settle(context: TurnContext, deps: BotDeps, deferred: Deferred, handledBefore: () => Promise<boolean>): Promise<boolean> {
  if (deferred.state !== 'open') return Promise.resolve(deferred.state !== 'redelivered');
  deferred.settling ??= (async () => {
    const fresh = !(await handledBefore()) && (await claimActivity(context, deps));
    if (!fresh)
      deps.logger.info(
        { activityId: context.activity.id, conversationId: context.activity.conversation?.id },
        'activity delivered again; it was processed already',
      );
    // A failed turn may have given the claim up meanwhile: its error is said, and its redelivery runs again.
    if (deferred.state === 'open') deferred.state = fresh ? 'claimed' : 'redelivered';
    return fresh;
  })();
  return deferred.settling;
}

/** The activity's id when this turn's claim waits for the save of a goal step (deferClaim), else undefined. */
export function deferredActivityId(context: TurnContext): string | undefined {
  return context.turnState.get<Deferred | undefined>(DEFERRED) ? context.activity.id : undefined;
}

/** The turn's goal step was saved with the activity recorded: that save is its claim. */
export function claimedBySave(context: TurnContext): void {
  const deferred = context.turnState.get<Deferred | undefined>(DEFERRED);
  if (deferred?.state === 'open') deferred.state = 'claimed';
}

/** The turn's goal step found the activity recorded: it took effect before, nothing is said again. */
export function redelivered(context: TurnContext, deps: BotDeps): void {
  const deferred = context.turnState.get<Deferred | undefined>(DEFERRED);
  deps.logger.info(
    { activityId: context.activity.id, conversationId: context.activity.conversation?.id },
    'activity delivered again; it was processed already',
  );
  if (deferred) deferred.state = 'redelivered';
}

/** After an unexpected failure: forget this turn's claim, so that a redelivery runs the turn again. */
export async function releaseActivity(context: TurnContext, deps: BotDeps): Promise<void> {
  const deferred = context.turnState.get<Deferred | undefined>(DEFERRED);
  if (deferred?.state === 'open') deferred.state = 'released';
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
