import type { Application, TurnState } from '@microsoft/teams-ai';
import { followUpGoalCard } from '../cards/followUps';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { type Response, responseFormSchema, type ResponseProblem, type Round } from '../domain/followUp';
import { actionData, onDraftOrConfirm } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { sendResultCards } from './resultDialogue';
import { isCommand, type Turn, turnOf } from './turn';

/**
 * Uppföljning for the one who follows up her goals, in her 1:1 chat: one
 * card per goal, saved as a draft or confirmed, and `min uppföljning` to
 * get the cards again. Everything is keyed by the sender: a card that
 * names someone else's round or goal finds nothing of hers.
 */
export function registerFollowUpTeacher(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('myFollowUp'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const { tenantId, aadObjectId } = turn.person();
      const rows = await deps.followUps.teacherRounds(tenantId, aadObjectId);
      const row = rows.find(({ round }) => round.status === 'open') ?? rows[0];
      if (!row) {
        await context.sendActivity(turn.strings.followUp.mine.none);
        return;
      }
      const participant = row.round.participants.find((p) => p.aadObjectId === aadObjectId)!;
      for (const goal of participant.goals) {
        const response = row.responses.find((r) => r.goalNumber === goal.number);
        await context.sendActivity(cardMessage(await goalCard(turn, deps, row.round, goal.number, { ...(response ? { response } : {}) })));
      }
      // In a resultatdialog, a principal's cards per indicator of her school follow her goal cards.
      await sendResultCards(context, turn, deps, row.round);
    });
  });

  onDraftOrConfirm(
    app,
    { save: VERBS.followUpSave, confirm: VERBS.followUpConfirm },
    async (turn, confirm) => {
      const { tenantId, aadObjectId, name } = turn.person();
      const form = responseFormSchema.parse(actionData(turn.context));
      const result = await deps.followUps.respond(tenantId, { aadObjectId, name }, form, confirm);
      const c = turn.strings.followUp.card;
      if ('closed' in result) {
        const response = (await deps.followUps.teacherRounds(tenantId, aadObjectId))
          .find(({ round }) => round.id === form.roundId)
          ?.responses.find((r) => r.goalNumber === form.goal);
        return { card: await goalCard(turn, deps, result.round, form.goal, { ...(response ? { response } : {}) }) };
      }
      if ('problems' in result) {
        const { roundId: _round, goal: _goal, ...sent } = form;
        return {
          card: await goalCard(turn, deps, result.round, form.goal, { sent, problems: result.problems, notice: problemNotice(turn, result.problems) }),
        };
      }
      if (confirm) deps.logger.info({ roundId: result.round.id }, 'follow-up answer confirmed');
      return { card: await goalCard(turn, deps, result.round, form.goal, { response: result.response, notice: confirm ? c.confirmed : c.saved }) };
    },
    deps,
  );
}

function problemNotice(turn: Turn, problems: ResponseProblem[]): string {
  return problems.map((problem) => turn.strings.followUp.card.problems[problem]).join(' ');
}

/** A teacher's card for one of her goals, the goal's text read from her own goals in the målsamtal. */
async function goalCard(
  turn: Turn,
  deps: BotDeps,
  round: Round,
  goalNumber: number,
  extra: { response?: Response; sent?: Record<string, string>; problems?: ResponseProblem[]; notice?: string },
): Promise<AdaptiveCard> {
  const { aadObjectId } = turn.person();
  const row = (await turn.teacherDialogues()).find(({ dialogue }) => dialogue.id === round.dialogueId);
  const participant = round.participants.find((p) => p.aadObjectId === aadObjectId);
  const goal = participant?.goals.find((g) => g.number === goalNumber);
  const titles = new Map((row?.dialogue.schoolGoals ?? []).map((g) => [g.id, g.title]));
  return followUpGoalCard(turn.strings, turn.language, {
    round,
    goalNumber,
    goalCount: participant?.goals.length ?? 1,
    goalText: row?.participation.goals[goalNumber - 1]?.goal ?? '',
    serves: (goal?.schoolGoalIds ?? []).map((id) => titles.get(id) ?? id),
    ...extra,
  });
}
