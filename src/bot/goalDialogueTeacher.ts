import type { Application, TurnState } from '@microsoft/teams-ai';
import { goalSummaryCard } from '../cards/goalViews';
import { type Verb, VERBS } from '../cards/verbs';
import { AppError } from '../domain/errors';
import type { FlowInput } from '../domain/goalDialogue';
import type { ReadAhead, TeacherActOptions, TeacherActResult, TeacherStep } from '../domain/goalDialogueSteps';
import type { CardOrigin } from '../domain/goalStepAhead';
import { carryOver } from '../domain/goalDialogueYears';
import { cardVersionSchema, dialogueRefSchema, goalAnswerSchema, goalEditSchema, goalIndexSchema, splitList } from '../domain/goalDialogueForms';
import type { TurnContext } from 'botbuilder';
import { actionData, type CardActionResult, onCardAction, verbOf } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { cardForReply, confirmedCopy, currentReply, currentStateCard, fieldError, sendReply, textForReply } from './goalDialogueReplies';
import { schoolYearArgument } from './commands';
import { carryOverOffer, sendMyGoals } from './goalDialogueYears';
import { cascadeFocusCardFor } from './cascadeFocus';
import { claimedBySave, deferredActivityId, redelivered } from './once';
import { commandText, isCommand, isCommandOfAGroupOrTeam, isUnknownText, type Turn, turnOf } from './turn';

/** Målsamtal for the teacher, in their 1:1 chat: writing goals step by step, by card or by typing. */
export function registerGoalDialogueTeacher(app: Application<TurnState>, deps: BotDeps): void {
  for (const [verb, moveOf] of CARD_MOVES) onCardAction(app, verb, (turn) => teacherCardAction(turn, deps, moveOf(actionData(turn.context))), deps);

  const teacherCommand = (id: StepCommand, input: FlowInput) =>
    app.message(isCommand(id), (context) => {
      const turn = turnOf(context, deps);
      return turn.replyWithExpectedErrors(async () => {
        const me = turn.person();
        // Not writing (a pause delivered again finds her so): the reply first looks for the activity among her goals (once.ts).
        const step =
          id === 'resume' || (await turn.isWritingGoals())
            ? await deps.goals.teacherStep(me.tenantId, me.aadObjectId, { active: turn.activePointer, readAhead: readAheadOf(context) })
            : undefined;
        if (!step) {
          await context.sendActivity(turn.strings.goals.noActive);
          return;
        }
        const result = await act(turn, deps, step, input);
        await sendMove(turn, deps, result);
        // Back at the first question with nothing written: last läsår's goals may be offered.
        if (id === 'resume') await sendCarryOverOffer(turn, deps, result);
      });
    });
  for (const [id, input] of STEP_COMMANDS) teacherCommand(id, input);

  // Typed text in the 1:1 chat while writing is the answer to the current step.
  app.message(
    async (context) => (await isUnknownText(context)) && turnOf(context, deps).where.kind === 'personal' && (await turnOf(context, deps).isWritingGoals()),
    (context) => {
      const turn = turnOf(context, deps);
      return turn.replyWithExpectedErrors(async () => {
        const me = turn.person();
        const step = await deps.goals.teacherStep(me.tenantId, me.aadObjectId, { active: turn.activePointer, readAhead: readAheadOf(context) });
        if (!step) {
          await context.sendActivity(turn.strings.goals.noActive);
          return;
        }
        await sendMove(turn, deps, await act(turn, deps, step, typedAnswer(context)));
      });
    },
  );

  // Typed text in the 1:1 chat after an invitation, before starting: it starts the dialogue and is used.
  app.message(
    async (context) => {
      const turn = turnOf(context, deps);
      return (
        (await isUnknownText(context)) &&
        turn.where.kind === 'personal' &&
        !isCommandOfAGroupOrTeam(context) &&
        !(await turn.isWritingGoals()) &&
        (await turn.invitedDialogue()) !== undefined
      );
    },
    (context) => {
      const turn = turnOf(context, deps);
      return turn.replyWithExpectedErrors(async () => {
        const dialogue = await turn.invitedDialogue();
        if (!dialogue) {
          await context.sendActivity(turn.strings.goals.noActive);
          return;
        }
        const input: FlowInput = { kind: 'startWithText', text: context.activity.text ?? '' };
        const result = await act(turn, deps, { dialogue }, input);
        await sendMove(turn, deps, result);
        await sendCarryOverOffer(turn, deps, result);
      });
    },
  );

  // `mina mål`: this läsår's goals; `mina mål förra läsåret`, `mina mål 2025-26`: an earlier läsår's, read-only.
  app.message(isCommand('myGoals'), (context) => sendMyGoals(turnOf(context, deps), deps));
  app.message(isCommand('myGoalsOfYear'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(() => sendMyGoals(turn, deps, schoolYearArgument(commandText(context.activity))));
  });

  // "Utgå från förra läsårets mål": last läsår's confirmed goals become her draft here, once (goalDialogue.ts, carryOver).
  onCardAction(
    app,
    VERBS.goalsCarryOver,
    async (turn): Promise<CardActionResult> => {
      const me = turn.person();
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const step = await deps.goals.teacherStep(me.tenantId, me.aadObjectId, { dialogueId });
      if (!step) throw new AppError('NOT_FOUND', 'not a participant of that dialogue');
      const last = await deps.goalYears.lastYearGoals(me.tenantId, me.aadObjectId, step.dialogue);
      if (!last) return { message: turn.strings.schoolYear.carryOver.nothing };
      const input: FlowInput = { kind: 'carryOver', fromDialogueId: last.dialogue.id, ...carryOver(last, step.dialogue) };
      return cardActionOnStep(turn, deps, step, input, undefined);
    },
    deps,
  );
}

/** Sends the offer to start from last läsår's goals after a move, when there is one to make (goalDialogueYears.ts). */
async function sendCarryOverOffer(turn: Turn, deps: BotDeps, result: TeacherActResult): Promise<void> {
  if (result.redelivered) return;
  const offer = await carryOverOffer(turn, deps, result);
  if (offer) await turn.context.sendActivity(cardMessage(offer));
}

type CardStep = NonNullable<TeacherActOptions['cardStep']>;

/** A click on the teacher's card as a move: what it asks, and for an answer the step its card was made for. */
interface CardMove {
  input: FlowInput;
  cardStep?: CardStep;
}

/** The buttons of the teacher's card, each with the move its card data asks for (parsed with zod; throws when it does not parse). */
const CARD_MOVES: readonly (readonly [Verb, (data: Record<string, unknown>) => CardMove])[] = [
  [VERBS.goalsBegin, () => ({ input: { kind: 'start' } })],
  [VERBS.goalsBack, () => ({ input: { kind: 'back' } })],
  [VERBS.goalsPause, () => ({ input: { kind: 'pause' } })],
  [VERBS.goalsAdd, () => ({ input: { kind: 'addGoal' } })],
  [VERBS.goalsConfirm, () => ({ input: { kind: 'confirm' } })],
  [VERBS.goalsRemove, (data) => ({ input: { kind: 'removeGoal', goalIndex: goalIndexSchema.parse(data.goalIndex) } })],
  [
    VERBS.goalsEdit,
    (data) => {
      const { goalIndex, step } = goalEditSchema.parse(data);
      return { input: { kind: 'edit', goalIndex, step } };
    },
  ],
  // An answer applies to the step its card was made for, or not at all (checked where it is saved).
  [
    VERBS.goalsAnswer,
    (data) => {
      const { goalIndex, step, answer, goalIds } = goalAnswerSchema.parse(data);
      const input: FlowInput = step === 'schoolGoals' ? { kind: 'chooseGoals', ids: splitList(goalIds) } : { kind: 'answer', text: answer ?? '' };
      return { input, cardStep: { goalIndex, step } };
    },
  ],
];

/** The move of a click on the teacher's card, with the dialogue and version the card names; undefined for another verb or data that does not parse. */
function cardMoveOf(context: TurnContext, verb: string): (CardMove & { dialogueId: string; version?: number }) | undefined {
  const moveOf = CARD_MOVES.find(([known]) => known === verb)?.[1];
  if (!moveOf) return undefined;
  const data = actionData(context);
  try {
    const { dialogueId } = dialogueRefSchema.parse(data);
    const { version } = cardVersionSchema.parse(data);
    return { ...moveOf(data), dialogueId, ...(version !== undefined ? { version } : {}) };
  } catch {
    // Answered by its route as bad input; nothing is read or saved ahead for it.
    return undefined;
  }
}

type StepCommand = 'resume' | 'pause' | 'back' | 'cancel';
const STEP_COMMANDS: readonly (readonly [StepCommand, FlowInput])[] = [
  ['resume', { kind: 'resume' }],
  ['pause', { kind: 'pause' }],
  ['back', { kind: 'back' }],
  ['cancel', { kind: 'cancel' }],
];

/** Typed text while writing is the answer to the current step. */
function typedAnswer(context: TurnContext): FlowInput {
  return { kind: 'answer', text: context.activity.text ?? '' };
}

/** The move typed text or a step command would make, if the teacher is writing (her pointer decides). */
async function typedMove(context: TurnContext): Promise<FlowInput | undefined> {
  if (await isUnknownText(context)) return typedAnswer(context);
  for (const [id, input] of STEP_COMMANDS) if (await isCommand(id)(context)) return input;
  return undefined;
}

const READ_AHEAD = Symbol('målbild.goalStepReadAhead');

/** The move typed text, a step command or a click on her card asks for; `card` says where a click comes from. */
async function moveOf(context: TurnContext): Promise<{ input: FlowInput; card?: CardOrigin & { dialogueId: string } } | undefined> {
  const verb = verbOf(context);
  if (!verb) {
    const input = await typedMove(context);
    return input && { input };
  }
  const move = cardMoveOf(context, verb);
  if (!move) return undefined;
  const { input, cardStep, dialogueId, version } = move;
  // As cardActionOnStep asks it: the step an answer's card was made for, the version of the goals it shows.
  return { input, card: { dialogueId, ...(cardStep ? { cardStep } : {}), fromCard: { version } } };
}

/**
 * Typed text, a step command or a click on her card in the 1:1 chat: her
 * move in the dialogue she wrote in last here is saved ahead, under the
 * ETag of her goals as saved then, while her pointer and the dialogue are
 * read (GoalDialogueService.stepAhead, goalStepAhead.ts), so that her step
 * waits for one round trip, not two. Called before the routes run. Unless
 * her step takes it, the save is undone before the turn sends anything,
 * and when the turn ends (settleGoalStepAhead).
 */
export async function readGoalStepAhead(context: TurnContext, deps: BotDeps): Promise<void> {
  const turn = turnOf(context, deps);
  const { tenantId, aadObjectId } = turn.who;
  if (!tenantId || !aadObjectId) return;
  const move = await moveOf(context);
  // A card's data that does not parse is answered as such by its route, with nothing read ahead.
  if (verbOf(context) && !move) return;
  const activityId = context.activity.id;
  const ahead = deps.goals.stepAhead(tenantId, aadObjectId, turn.activePointer, move && activityId ? { ...move, activityId } : undefined);
  if (!ahead) return;
  context.turnState.set(READ_AHEAD, ahead);
  if (ahead.saved) {
    context.onSendActivities(async (turnContext, _activities, next) => {
      await settleGoalStepAhead(turnContext, deps);
      return next();
    });
  }
}

function readAheadOf(context: TurnContext): ReadAhead | undefined {
  return context.turnState.get<ReadAhead | undefined>(READ_AHEAD);
}

/**
 * Undoes the turn's save ahead unless her step took it (goalStepAhead.ts).
 * Returns the dialogue where that save wrote the activity's id itself (so
 * an id found there is no earlier delivery's). A save ahead that could not
 * be undone stands as her step: the activity took effect.
 */
export async function settleGoalStepAhead(context: TurnContext, deps: BotDeps): Promise<string | undefined> {
  const ahead = readAheadOf(context)?.saved;
  if (!ahead) return undefined;
  let state: Awaited<ReturnType<typeof ahead.settle>>;
  try {
    state = await ahead.settle();
  } catch (error) {
    deps.logger.warn({ err: error, activityId: context.activity.id }, 'could not undo a goal step saved ahead; it stands');
    state = 'kept';
  }
  if (state === 'kept') claimedBySave(context);
  return ahead.ownWriteIn();
}

/**
 * One move of the acting teacher. In her 1:1 chat the save of the move is
 * the activity's claim (once.ts): an activity that took effect before comes
 * back `redelivered`, and nothing is said again.
 */
async function act(
  turn: Turn,
  deps: BotDeps,
  step: TeacherStep,
  input: FlowInput,
  options: Pick<TeacherActOptions, 'cardStep' | 'fromCard'> = {},
): Promise<TeacherActResult> {
  const { context } = turn;
  const activityId = deferredActivityId(context);
  const result = await deps.goals.teacherAct(step.dialogue, turn.person().aadObjectId, input, {
    ...options,
    active: turn.activePointer,
    read: step.participation,
    ...(step.pointer ? { pointer: step.pointer } : {}),
    activityId,
    ahead: readAheadOf(context)?.saved,
  });
  if (result.redelivered) redelivered(context, deps);
  else if (activityId) claimedBySave(context);
  return result;
}

/** The reply to a typed move: the next step (a typed move has no card to be stale). */
async function sendMove(turn: Turn, deps: BotDeps, result: TeacherActResult): Promise<void> {
  const { context, strings } = turn;
  if (result.redelivered) return;
  const reply = result.stale ? currentReply(result.participation) : result.reply;
  // One level up, the goals written: the school's fokusområde is asked for before the summary (cascadeFocus.ts).
  const focus = await cascadeFocusCardFor(turn, deps, result.dialogue, result.participation, reply);
  if (focus) await context.sendActivity(cardMessage(focus));
  else await sendReply(context, strings, result.dialogue, result.participation, reply);
}

/**
 * A click on the teacher's card: the flow's next step replaces the card,
 * with any message sent before it. Her move may be saved ahead
 * (readGoalStepAhead); her pointer, read once for the turn, then vouches
 * for the dialogue as remembered.
 */
async function teacherCardAction(turn: Turn, deps: BotDeps, { input, cardStep }: CardMove): Promise<CardActionResult> {
  const { context } = turn;
  const me = turn.person();
  const { dialogueId } = dialogueRefSchema.parse(actionData(context));
  const step = await deps.goals.teacherStep(me.tenantId, me.aadObjectId, { dialogueId, active: turn.activePointer, readAhead: readAheadOf(context) });
  if (!step) throw new AppError('NOT_FOUND', 'not a participant of that dialogue');
  return cardActionOnStep(turn, deps, step, input, cardStep);
}

/** The move of a click on the teacher's card, in the dialogue read for it. */
async function cardActionOnStep(turn: Turn, deps: BotDeps, step: TeacherStep, input: FlowInput, cardStep: CardStep | undefined): Promise<CardActionResult> {
  const { context, strings } = turn;
  const { dialogue } = step;
  const { version } = cardVersionSchema.parse(actionData(context));
  const result = await act(turn, deps, step, input, { cardStep, fromCard: { version } });
  // Answered 200 without a body, as every redelivered invoke (once.ts).
  if (result.redelivered) return { message: '' };
  if (result.stale) {
    const { participation } = result;
    // An old card once the goals are confirmed or closed: the goals as they are now, read-only, saying why.
    const current = currentStateCard(strings, dialogue, participation);
    if (current) return { card: current };
    // A card from a step she has left (an old card, or the second of two answers at once): say so, show where she is.
    await context.sendActivity(strings.goals.oldCard);
    return {
      card:
        cardForReply(strings, dialogue, participation, currentReply(participation)) ??
        goalSummaryCard(strings, dialogue, participation.goals, { readOnly: false, version: participation.versions }),
    };
  }
  // A refused answer is said in the card, next to its field, not as a chat message.
  const error = fieldError(strings, result.reply);
  const card =
    (await cascadeFocusCardFor(turn, deps, result.dialogue, result.participation, result.reply)) ??
    cardForReply(strings, result.dialogue, result.participation, result.reply, error);
  const text = error ? undefined : textForReply(strings, result.dialogue, result.reply);
  if (result.reply.kind === 'confirmed') {
    // The clicked card becomes the copy the teacher keeps: one copy, with the thanks below it.
    await context.sendActivity(text ?? '');
    return { card: confirmedCopy(strings, result.dialogue, result.participation) };
  }
  if (result.reply.kind === 'closed') {
    // Closed while the card was open: it shows the goals as they are, without buttons.
    return { card: confirmedCopy(strings, result.dialogue, result.participation, text) };
  }
  if (card && text) await context.sendActivity(text);
  // She began with nothing written: last läsår's goals may be offered, below the question.
  if (input.kind === 'start') await sendCarryOverOffer(turn, deps, result);
  if (card) return { card };
  return { message: text ?? '' };
}
