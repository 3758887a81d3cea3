import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { followUpRollupAnalysesCard } from '../cards/followUpRollupAnalyses';
import { followUpRoundsCard } from '../cards/followUpRounds';
import { roundTitle } from '../cards/followUps';
import { VERBS } from '../cards/verbs';
import { actionData, type CardActionResult, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

const roundRefSchema = z.object({ roundId: z.string().min(1) });
const pageSchema = z.object({ page: z.coerce.number().int().min(1).default(1) });

/**
 * The owner's rounds in her 1:1 chat (`uppföljningar`): cancel a planned
 * round, close a running one now; and the manager's pages of the schools'
 * written analyses. Each action checks the sender as the round's owner (or
 * a manager) in the domain; a second click finds the round changed
 * already and changes nothing.
 */
export function registerFollowUpRounds(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('followUpRounds'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      await context.sendActivity(cardMessage(await roundsCard(turn, deps)));
    });
  });

  onCardAction(
    app,
    VERBS.followUpCancel,
    async (turn) => {
      const { roundId } = roundRefSchema.parse(actionData(turn.context));
      const { round, outcome } = await deps.followUpRounds.cancelRound(turn.person().tenantId, roundId, await turn.actor());
      const s = turn.strings.followUpRounds;
      const notice = { cancelled: s.cancelled(roundTitle(turn.strings, round)), alreadyCancelled: s.alreadyCancelled, alreadyOpened: s.alreadyOpened }[outcome];
      return { card: await roundsCard(turn, deps, notice) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.followUpCloseNow,
    async (turn) => {
      const { roundId } = roundRefSchema.parse(actionData(turn.context));
      const { round, changed } = await deps.followUpRounds.closeNow(turn.person().tenantId, roundId, await turn.actor());
      const s = turn.strings.followUpRounds;
      const notice = changed ? s.closedNow(roundTitle(turn.strings, round)) : round.status === 'closed' ? s.alreadyClosed : s.notRunning;
      return { card: await roundsCard(turn, deps, notice) };
    },
    deps,
  );

  onCardAction(app, VERBS.followUpRollupPage, (turn) => rollupAnalysesPage(turn, deps, pageSchema.parse(actionData(turn.context)).page), deps);
}

async function roundsCard(turn: Turn, deps: BotDeps, notice = '') {
  const rounds = await deps.followUpRounds.ownedRounds(turn.person().tenantId, await turn.actor());
  return followUpRoundsCard(turn.strings, turn.language, rounds, notice);
}

/** A page of the schools' written analyses: a manager's (or admin's), in her 1:1 chat only. */
async function rollupAnalysesPage(turn: Turn, deps: BotDeps, page: number): Promise<CardActionResult> {
  if (turn.where.kind !== 'personal') return { message: turn.strings.followUpRounds.written.onlyInChat };
  const rollup = await deps.followUpRecord.rollup(turn.person().tenantId, await turn.actor());
  return { card: followUpRollupAnalysesCard(turn.strings, turn.language, { ...rollup, page }) };
}
