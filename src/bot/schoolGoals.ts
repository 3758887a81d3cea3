import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { schoolGoalsCard } from '../cards/goalViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { AppError } from '../domain/errors';
import type { Actor } from '../domain/organisation';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/** `skolans mål`: the principal adds, edits and retires the school's goals (versioned). */
export function registerSchoolGoals(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('schoolGoals'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const actor = await turn.actor();
      const schoolIds =
        turn.where.kind === 'channel'
          ? [deps.goals.schoolForManagement(turn.where.team, actor, 'editGoals').id]
          : deps.organisation.schoolsManagedBy(actor).map((school) => school.id);
      if (schoolIds.length === 0) throw new AppError('NOT_ALLOWED', 'not a principal', { action: 'editGoals' });
      for (const schoolId of schoolIds) await context.sendActivity(cardMessage(await card(turn, deps, schoolId, actor)));
    });
  });

  onCardAction(
    app,
    VERBS.schoolGoalSave,
    async (turn) => {
      const data = actionData(turn.context);
      const { schoolId, goalId, version } = refSchema.parse(data);
      const key = goalId || 'new';
      const actor = await turn.actor();
      const result = await deps.schoolGoals.save(schoolId, actor, {
        goalId: goalId || undefined,
        title: typeof data[`title_${key}`] === 'string' ? (data[`title_${key}`] as string) : '',
        serves: typeof data[`serves_${key}`] === 'string' ? (data[`serves_${key}`] as string).split(',').filter(Boolean) : [],
        expectedVersion: version,
      });
      const labels = turn.strings.goals.schoolGoalsCard;
      const notice =
        'problem' in result
          ? { text: result.problem === 'title' ? labels.titleProblem : labels.servesProblem, good: false }
          : { text: goalId ? labels.saved : labels.added, good: true };
      // A goal's id is made from its title: goal text, so only at debug.
      if (!('problem' in result)) {
        deps.logger.info({ schoolId, version: result.goal.version, added: !goalId }, 'school goal saved');
        deps.logger.debug({ schoolId, goalId: result.goal.id, version: result.goal.version }, 'school goal saved (id)');
      }
      return { card: await card(turn, deps, schoolId, actor, notice) };
    },
    deps,
  );

  // Retiring asks first, with how many teachers' goals in open dialogues link to the goal.
  onCardAction(
    app,
    VERBS.schoolGoalRetire,
    async (turn) => {
      const { schoolId, goalId } = retireSchema.parse(actionData(turn.context));
      const actor = await turn.actor();
      const teachers = await deps.dialogueManagement.teachersLinkedTo(turn.person().tenantId, schoolId, goalId, actor);
      return { card: await card(turn, deps, schoolId, actor, undefined, { goalId, teachers }) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.schoolGoalRetireConfirm,
    async (turn) => {
      const { schoolId, goalId, version } = retireSchema.parse(actionData(turn.context));
      const actor = await turn.actor();
      // Pressed twice: the goal retired already stays as it is.
      await deps.schoolGoals.retire(schoolId, actor, goalId, version);
      return { card: await card(turn, deps, schoolId, actor, { text: turn.strings.goals.schoolGoalsCard.retiredNow, good: true }) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.schoolGoalsShow,
    async (turn) => {
      const { schoolId } = z.object({ schoolId: z.string().min(1) }).parse(actionData(turn.context));
      return { card: await card(turn, deps, schoolId, await turn.actor()) };
    },
    deps,
  );
}

const refSchema = z.object({ schoolId: z.string().min(1), goalId: z.string().default(''), version: z.coerce.number().int().min(0) });
const retireSchema = refSchema.extend({ goalId: z.string().min(1) });

async function card(
  turn: Turn,
  deps: BotDeps,
  schoolId: string,
  actor: Actor,
  notice?: { text: string; good: boolean },
  retiring?: { goalId: string; teachers: number },
): Promise<AdaptiveCard> {
  const { school, goals } = await deps.schoolGoals.list(schoolId, actor);
  return schoolGoalsCard(turn.strings, turn.language, school, goals, deps.organisation.file.organisation.overarchingGoals, notice, retiring);
}
