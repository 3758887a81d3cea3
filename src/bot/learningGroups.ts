import type { Application, TurnState } from '@microsoft/teams-ai';
import { VERBS } from '../cards/verbs';
import { onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { groupCardOf, groupHere, logCardOf, onGroupCommand } from './learningGroupReplies';

/**
 * Lärgrupper in Teams: created and shown in the group's conversation (a
 * channel, a group chat or a meeting chat), check-ins answered in the card
 * (each member sees their own view through Universal Actions refresh) or in
 * the 1:1 reminder. Here: the group's card and learning log, for anyone in
 * the conversation; the facilitator's routes are in learningGroupFacilitator.ts,
 * the check-ins in learningGroupCheckIns.ts.
 */
export function registerLearningGroups(app: Application<TurnState>, deps: BotDeps): void {
  onGroupCommand(app, deps, 'group', VERBS.groupShow, 'see', async (turn, group) => {
    // Posted for everyone; the refresh gives the samtalsledare her own view with the editing buttons.
    await turn.context.sendActivity(cardMessage(await groupCardOf(turn, deps, group, 'everyone')));
  });
  onGroupCommand(app, deps, 'groupLog', VERBS.groupLog, 'see', async (turn, group) => {
    await turn.context.sendActivity(cardMessage(await logCardOf(turn, deps, group)));
  });

  // Pressed, or the refresh of the card for whoever may change the group: the view of the one asking.
  onCardAction(app, VERBS.groupShow, async (turn) => ({ card: await groupCardOf(turn, deps, await groupHere(turn, deps, 'see'), 'me') }), deps);

  onCardAction(
    app,
    VERBS.groupLog,
    async (turn) => {
      const group = await groupHere(turn, deps, 'see');
      await turn.context.sendActivity(cardMessage(await logCardOf(turn, deps, group)));
      return { card: await groupCardOf(turn, deps, group, 'me') };
    },
    deps,
  );
}
