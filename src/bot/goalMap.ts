import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { GOAL_MAP_CARD_BUDGET_BYTES, goalMapCard, goalMapData, goalMapText } from '../cards/goalMap';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { GOAL_MAP_VIEWS, type GoalMapView } from '../domain/goalMap';
import { actionData, type CardActionResult, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { chatLink } from './help';
import { schoolYearArgument } from './commands';
import { unknownSchoolYear } from './goalDialogueYears';
import { commandText, isCommand, type Turn, turnOf } from './turn';

/**
 * `målbild` / `goal map` in the 1:1 chat: the goal chain as it concerns the
 * one asking, in the widest view they may see, with buttons to the other
 * views they may see. Only in the 1:1 chat (in a team or a group chat the
 * command is pointed here by help.ts, as every 1:1 command is); the view a
 * button asks for is checked against the person's roles on every press.
 */
export function registerGoalMap(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('goalMap'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const answer = await goalMapAnswer(turn, deps);
      await context.sendActivity('card' in answer ? { ...cardMessage(answer.card), summary: answer.summary } : answer.message);
    });
  });

  // `målbild 2025-26`, `goal map last year`: the map of another läsår.
  app.message(isCommand('goalMapOfYear'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const answer = await goalMapAnswer(turn, deps, undefined, schoolYearArgument(commandText(context.activity)));
      await context.sendActivity('card' in answer ? { ...cardMessage(answer.card), summary: answer.summary } : answer.message);
    });
  });

  onCardAction(
    app,
    VERBS.goalMapShow,
    async (turn): Promise<CardActionResult> => {
      const { view, year } = viewSchema.parse(actionData(turn.context));
      if (turn.where.kind !== 'personal')
        return { message: turn.strings.onlyInChat(turn.strings.commands.goalMap.usage, chatLink(turn.context.activity.recipient?.id)) };
      const answer = await goalMapAnswer(turn, deps, view, year);
      return 'card' in answer ? { card: answer.card } : { message: answer.message };
    },
    deps,
  );
}

/** A card from before läsår were chosen sends no year: the current läsår. */
const viewSchema = z.object({ view: z.enum(GOAL_MAP_VIEWS), year: z.string().max(100).optional() });

type Answer = { card: AdaptiveCard; summary: string } | { message: string };

/**
 * The map as a card; as Markdown text when the card cannot be built or is
 * too large to send. `yearWords`: the läsår asked for (an id, "förra
 * läsåret"); none for the current one; one the file does not know is
 * answered with the läsår it knows.
 */
async function goalMapAnswer(turn: Turn, deps: BotDeps, view?: GoalMapView, yearWords = ''): Promise<Answer> {
  const me = turn.person();
  const chosen = deps.goalYears.choose(yearWords);
  if ('unknown' in chosen) return { message: unknownSchoolYear(turn.strings, chosen) };
  const { map, views, years, current } = await deps.goalMap.map(me.tenantId, me.aadObjectId, await turn.actor(), view, chosen.year);
  const data = goalMapData(turn.strings, map, views, years, current.id);
  deps.logger.info({ activityId: turn.context.activity.id, view: map.view }, 'goal map shown');
  try {
    const card = goalMapCard(data);
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= GOAL_MAP_CARD_BUDGET_BYTES) return { card, summary: `${data.title}: ${data.subtitle}` };
    deps.logger.warn({ activityId: turn.context.activity.id, view: map.view }, 'goal map card over its size budget; sent as text');
  } catch (error) {
    deps.logger.error({ err: error, activityId: turn.context.activity.id, view: map.view }, 'goal map card could not be built; sent as text');
  }
  return { message: goalMapText(data) };
}
