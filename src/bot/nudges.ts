import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { formChoices, formatSending, type Notice, nudgeFormCard, nudgeListCard } from '../cards/nudges';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { isAppError } from '../domain/errors';
import { formIdOf, newFormId } from '../domain/formIds';
import type { NudgeActor, NudgeChange, NudgePlace } from '../domain/nudgeService';
import { nudgeFormSchema } from '../domain/nudges';
import { DEFAULT_QUIET_HOURS, localDateOf } from '../time';
import { actionData, type CardActionResult, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/**
 * `ny puff` / `new nudge` and `puffar` / `nudges`: the form, the list and
 * its Pausa, Återuppta and Stoppa. Every submit and press is checked on the
 * server by NudgeService (what the person may choose, who may change a
 * nudge), whatever the card's data says.
 */
export function registerNudges(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('newNudge'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const actor = await nudgeActor(turn);
      const options = await deps.nudges.options(placeOf(turn), actor);
      if (options.audiences.length === 0) {
        await context.sendActivity(turn.strings.nudges.notAllowed);
        return;
      }
      const now = deps.now();
      const values = nudgeFormSchema.parse({
        date: localDateOf(now, deps.timeZone),
        time: '08:00',
        audience: options.audiences.length === 1 ? options.audiences[0]!.value : '',
        tie: options.ties.length === 1 ? options.ties[0]!.value : '',
      });
      await context.sendActivity(cardMessage(nudgeFormCard(turn.strings, newFormId(now), formChoices(turn.strings, options), values, quietHours(deps))));
    });
  });

  app.message(isCommand('nudges'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      await context.sendActivity(cardMessage(await listCard(turn, deps)));
    });
  });

  onCardAction(
    app,
    VERBS.nudgeCreate,
    (turn) =>
      refusedPolitely(turn, async () => {
        const data = actionData(turn.context);
        const place = placeOf(turn);
        const actor = await nudgeActor(turn);
        const result = await deps.nudges.create(place, actor, data, turn.language);
        if ('created' in result) {
          const { created } = result;
          deps.logger.info({ nudgeId: created.id, audience: created.audience.kind, schedule: created.schedule.kind }, 'nudge created');
          const when = created.next ? formatSending(turn.strings, turn.language, created.next.at, deps.timeZone) : '';
          return { card: await listCard(turn, deps, { text: turn.strings.nudges.created(when), good: true }) };
        }
        const options = await deps.nudges.options(place, actor);
        const formId = formIdOf(data) ?? newFormId(deps.now());
        return { card: nudgeFormCard(turn.strings, formId, formChoices(turn.strings, options), result.typed, quietHours(deps), result.problems) };
      }),
    deps,
  );

  const changes: [string, NudgeChange][] = [
    [VERBS.nudgePause, 'pause'],
    [VERBS.nudgeResume, 'resume'],
    [VERBS.nudgeStop, 'stop'],
  ];
  for (const [verb, change] of changes) {
    onCardAction(
      app,
      verb as typeof VERBS.nudgePause,
      (turn) =>
        refusedPolitely(turn, async () => {
          const { nudgeId } = nudgeRef.parse(actionData(turn.context));
          const nudge = await deps.nudges.change(turn.person().tenantId, nudgeId, await turn.actor(), change);
          deps.logger.info({ nudgeId, change, status: nudge.status }, 'nudge changed');
          const s = turn.strings.nudges;
          const text =
            nudge.status === 'stopped'
              ? s.stopped
              : nudge.status === 'paused'
                ? s.paused
                : nudge.status === 'finished'
                  ? s.finished
                  : s.resumed(nudge.next ? formatSending(turn.strings, turn.language, nudge.next.at, deps.timeZone) : '');
          return { card: await listCard(turn, deps, { text, good: true }) };
        }),
      deps,
    );
  }
}

const nudgeRef = z.object({ nudgeId: z.string().min(1).max(200) });

function placeOf(turn: Turn): NudgePlace {
  const { where } = turn;
  return {
    tenantId: turn.person().tenantId,
    conversationId: where.conversationId,
    serviceUrl: turn.context.activity.serviceUrl ?? '',
    kind: where.kind,
    team: where.team,
  };
}

async function nudgeActor(turn: Turn): Promise<NudgeActor> {
  const person = turn.person();
  return { ...(await turn.actor()), aadObjectId: person.aadObjectId, name: person.name };
}

function quietHours(deps: BotDeps): { from: string; to: string } {
  return deps.quietHours ?? DEFAULT_QUIET_HOURS;
}

async function listCard(turn: Turn, deps: BotDeps, notice?: Notice): Promise<AdaptiveCard> {
  const place = placeOf(turn);
  const actor = await nudgeActor(turn);
  const nudges = await deps.nudges.list(place, actor);
  // An empty list says how to make a nudge only to someone who may make one here.
  const mayCreate = nudges.length > 0 || (await deps.nudges.options(place, actor)).audiences.length > 0;
  return nudgeListCard(turn.strings, turn.language, deps.timeZone, nudges, { personal: turn.where.kind === 'personal', notice, mayCreate });
}

/** A refusal of this feature said in its own words (who may make or change a puff); other failures as every card action's. */
async function refusedPolitely(turn: Turn, work: () => Promise<CardActionResult>): Promise<CardActionResult> {
  try {
    return await work();
  } catch (error) {
    if (!isAppError(error, 'NOT_ALLOWED')) throw error;
    return { message: error.details?.action === 'nudgeChange' ? turn.strings.nudges.notAllowedChange : turn.strings.nudges.notAllowed };
  }
}
