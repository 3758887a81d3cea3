import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render';
import { resultAnswerCard, type ResultAnswerCardInput, resultDialogueViewCards } from '../cards/resultDialogue';
import { VERBS } from '../cards/verbs';
import type { Round } from '../domain/followUp';
import { dialogueLevel, type School } from '../domain/organisation';
import { type ResultAnswerProblem, resultAnswerFormSchema } from '../domain/resultDialogue';
import type { SideBySide } from '../domain/resultDialogueService';
import { actionData, onDraftOrConfirm } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/**
 * Resultatdialog (src/domain/resultDialogue.ts): a principal's card per
 * indicator of her school, saved as a draft or confirmed in her 1:1 chat;
 * `resultatdialog` / `result dialogue` gives the round's owner every
 * school's answers side by side (also sent when the round closes, and with
 * `analys`). Every entry is checked in ResultDialogueService: only the
 * round's principals answer, each for her own school; only the owner reads
 * the view. Nothing of it goes to a channel.
 */
export function registerResultDialogue(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('resultDialogue'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const view = await deps.resultDialogues.latestFor(turn.person().tenantId, await turn.actor());
      if (!view) {
        await context.sendActivity(turn.strings.resultDialogue.view.none);
        return;
      }
      await sendView(context, turn, view);
    });
  });

  onDraftOrConfirm(
    app,
    { save: VERBS.resultAnswerSave, confirm: VERBS.resultAnswerConfirm },
    async (turn, confirm) => {
      const { tenantId, aadObjectId, name } = turn.person();
      const form = resultAnswerFormSchema.parse(actionData(turn.context));
      const outcome = await deps.resultDialogues.respond(tenantId, { aadObjectId, name }, form, confirm);
      const c = turn.strings.resultDialogue.card;
      const { round, item } = outcome;
      const place = await placeOf(deps, item.school, item.indicator.id);
      if (outcome.kind === 'closed') return { card: answerCard(turn, { round, item, ...place, ...(outcome.answer ? { answer: outcome.answer } : {}) }) };
      if (outcome.kind === 'problems') {
        const { shows, causes, actions } = form;
        const notice = [c.problemsIntro, ...outcome.problems.map((problem: ResultAnswerProblem) => c.problems[problem])].join(' ');
        return { card: answerCard(turn, { round, item, ...place, sent: { shows, causes, actions }, problems: outcome.problems, notice }) };
      }
      if (confirm) deps.logger.info({ roundId: round.id, schoolId: item.school.id, indicatorId: item.indicator.id }, 'result dialogue answer confirmed');
      return { card: answerCard(turn, { round, item, ...place, answer: outcome.answer, notice: confirm ? c.confirmed : c.saved }) };
    },
    deps,
  );
}

/** The start form's toggle: offered (with its value) when one of the målsamtal is the principals'. */
export function resultDialogueOffer(dialogues: readonly { schoolId: string }[], on: boolean): { resultDialogue: boolean | undefined } {
  return { resultDialogue: dialogues.some((dialogue) => dialogueLevel(dialogue) === 'organisation') ? on : undefined };
}

/** A principal's indicator cards of a round (for `min uppföljning`): one per indicator of each school she leads. */
export async function sendResultCards(context: TurnContext, turn: Turn, deps: BotDeps, round: Round): Promise<void> {
  for (const part of await deps.resultDialogues.partOf(round, turn.person().aadObjectId)) {
    if (part.items.length === 0) await context.sendActivity(turn.strings.resultDialogue.card.noIndicators(part.school.name));
    for (const [index, item] of part.items.entries()) {
      const answer = part.answers.find((entry) => entry.indicatorId === item.indicator.id);
      await context.sendActivity(cardMessage(answerCard(turn, { round, item, number: index + 1, of: part.items.length, ...(answer ? { answer } : {}) })));
    }
  }
}

/** The owner's side-by-side view of a round, when it is a resultatdialog (for `analys`); nothing otherwise. */
export async function sendSideBySide(context: TurnContext, turn: Turn, deps: BotDeps, roundId: string): Promise<void> {
  const round = await deps.followUps.ownedRound(turn.person().tenantId, roundId, await turn.actor());
  const view = await deps.resultDialogues.sideBySideOf(round);
  if (view) await sendView(context, turn, view);
}

async function sendView(context: TurnContext, turn: Turn, view: SideBySide): Promise<void> {
  for (const card of resultDialogueViewCards(turn.strings, turn.language, view)) await context.sendActivity(cardMessage(card));
}

function answerCard(turn: Turn, input: ResultAnswerCardInput): AdaptiveCard {
  return resultAnswerCard(turn.strings, turn.language, input);
}

async function placeOf(deps: BotDeps, school: School, indicatorId: string): Promise<{ number: number; of: number }> {
  const items = await deps.resultDialogues.itemsOfSchool(school);
  return { number: items.findIndex((entry) => entry.indicator.id === indicatorId) + 1, of: items.length };
}
