import type { TurnContext } from 'botbuilder';
import { dialogueTitle, goalQuestionCard, goalQuestionText, goalSummaryCard, stringsForDialogue } from '../cards/goalViews';
import { cascadeFocusLine } from '../cards/cascadeFocus';
import type { AdaptiveCard } from '../cards/render';
import { asksFocusArea } from '../domain/cascadeFocus';
import { type Dialogue, type FlowReply, MAX_ANSWER_CHARS, type Participation } from '../domain/goalDialogue';
import type { Strings } from '../i18n';
import { cardMessage } from './cards';

/**
 * How the goal-writing flow answers a teacher: each reply of the domain's
 * state machine as the card for the step and the message that goes with it,
 * whether the teacher typed (a new message) or clicked (the card replaced).
 */

/** Where the teacher is, as the reply that shows it (a card from an earlier step shows this instead). */
export function currentReply(participation: Participation): FlowReply {
  const { cursor } = participation;
  return cursor.step === 'summary' ? { kind: 'summary' } : { kind: 'ask', goalIndex: cursor.goalIndex, step: cursor.step, followUp: false };
}

/** A refused answer as said next to its field, when the teacher answered in the card. */
export function fieldError(strings: Strings, reply: FlowReply): string | undefined {
  if (reply.kind === 'invalidGoals') return strings.goals.required.schoolGoals;
  if (reply.kind === 'tooLong') return strings.goals.tooLong(reply.length, MAX_ANSWER_CHARS);
  return undefined;
}

/** The card for a reply; `error` is a refused answer's message, shown next to the field. */
export function cardForReply(strings: Strings, dialogue: Dialogue, participation: Participation, reply: FlowReply, error = ''): AdaptiveCard | undefined {
  switch (reply.kind) {
    case 'ask':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, reply.step, reply.followUp);
    case 'summary':
      return editableSummary(strings, dialogue, participation);
    case 'nothingToUndo':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, reply.step, false);
    case 'tooLong':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, reply.step, false, error);
    case 'invalidGoals':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, 'schoolGoals', false, error);
    case 'keptAsGoal':
      return goalQuestionCard(strings, dialogue, participation, reply.goalIndex, 'schoolGoals', false);
    case 'maxGoals':
      return editableSummary(strings, dialogue, participation);
    case 'carriedOver':
    case 'carriedOverAlready':
    case 'carryOverRefused':
      return cardForReply(strings, dialogue, participation, currentReply(participation));
    case 'confirmed':
    case 'paused':
    case 'cancelled':
    case 'closed':
      return undefined;
  }
}

export function textForReply(strings: Strings, dialogue: Dialogue, reply: FlowReply): string | undefined {
  strings = stringsForDialogue(strings, dialogue);
  const goals = strings.goals;
  switch (reply.kind) {
    case 'confirmed':
      return reply.late ? goals.confirmedLate(dialogue.principal.name) : goals.confirmed(dialogue.principal.name);
    case 'paused':
      return goals.paused;
    case 'cancelled':
      return goals.cancelled;
    case 'tooLong':
      return goals.tooLong(reply.length, MAX_ANSWER_CHARS);
    case 'invalidGoals':
      return goals.invalidGoals;
    case 'keptAsGoal':
      return goals.keptAsGoal;
    case 'maxGoals':
      return goals.maxGoals;
    case 'closed':
      return goals.closed;
    case 'nothingToUndo':
      return goals.nothingToUndo;
    case 'carriedOver': {
      const words = strings.schoolYear.carryOver;
      const dropped = reply.droppedLinks.map((title) => `”${title}”`);
      return [words.done(reply.count), dropped.length > 0 ? words.dropped(strings.goalMap.list(dropped)) : ''].filter(Boolean).join(' ');
    }
    case 'carriedOverAlready':
      return strings.schoolYear.carryOver.already;
    case 'carryOverRefused':
      return strings.schoolYear.carryOver.refused;
    case 'ask':
    case 'summary':
      return undefined;
  }
}

function editableSummary(strings: Strings, dialogue: Dialogue, participation: Participation): AdaptiveCard {
  return goalSummaryCard(strings, dialogue, participation.goals, {
    readOnly: false,
    version: participation.versions,
    ...cascadeFocusOf(strings, dialogue, participation),
  });
}

/** One level up, the principal's summary shows the fokusområde proposed for the school (cascadeFocus.ts), with a button to change it. */
function cascadeFocusOf(strings: Strings, dialogue: Dialogue, participation: Participation): { cascadeFocus?: { line: string; editLabel: string } } {
  if (!asksFocusArea(dialogue)) return {};
  return { cascadeFocus: { line: cascadeFocusLine(strings, participation), editLabel: strings.network.focus.change } };
}

/** The read-only copy of confirmed goals that the teacher keeps; `intro` says why an old card shows it. */
export function confirmedCopy(strings: Strings, dialogue: Dialogue, participation: Participation, intro?: string): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  return goalSummaryCard(strings, dialogue, participation.goals, {
    readOnly: true,
    title: `${strings.goals.summary.title} · ${dialogueTitle(strings, dialogue)}`,
    ...(intro ? { intro } : {}),
    ...cascadeFocusOf(strings, dialogue, participation),
  });
}

/**
 * What an old card shows when its goals can no longer change from it: the
 * goals as they are now, read-only, with why. Undefined while she is writing
 * (the old card then shows where she is).
 */
export function currentStateCard(strings: Strings, dialogue: Dialogue, participation: Participation): AdaptiveCard | undefined {
  if (dialogue.status === 'closed') return confirmedCopy(strings, dialogue, participation, strings.goals.closed);
  if (participation.status === 'done') return confirmedCopy(strings, dialogue, participation, strings.goals.alreadyConfirmed);
  return undefined;
}

/** A reply to typed text: the card for the next step, with any message first. */
export async function sendReply(context: TurnContext, strings: Strings, dialogue: Dialogue, participation: Participation, reply: FlowReply): Promise<void> {
  const text = textForReply(strings, dialogue, reply);
  if (text) await context.sendActivity(text);
  if (reply.kind === 'confirmed') {
    await context.sendActivity(cardMessage(confirmedCopy(strings, dialogue, participation)));
    return;
  }
  const card = cardForReply(strings, dialogue, participation, reply);
  if (card) {
    const activity = cardMessage(card);
    // The question in plain text too, for notifications and screen readers.
    if (reply.kind === 'ask') activity.summary = goalQuestionText(strings, dialogue, reply.step, reply.followUp);
    if (reply.kind === 'keptAsGoal') activity.summary = goalQuestionText(strings, dialogue, 'schoolGoals', false);
    await context.sendActivity(activity);
  }
}
