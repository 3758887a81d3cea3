import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { formatDate } from '../cards/goalViews';
import { CHANNEL_VIEWER, formatValue, indicatorFormCard, type Notice, recordFormCard, resultsCard, type ResultsViewer } from '../cards/indicatorViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { AppError, isAppError } from '../domain/errors';
import { newFormId } from '../domain/formIds';
import type { IndicatorResult, RecordTarget } from '../domain/indicatorService';
import { type Measurement, targetKey } from '../domain/indicators';
import type { Actor, School } from '../domain/organisation';
import { localDateOf } from '../time';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/**
 * `resultat` / `results` and `registrera resultat` / `record result`: each
 * indicator's series against its baseline and target, as a chart card with
 * a text line per indicator. In a school's staff channel the school's
 * results, in the principals' team the whole organisation's: numbers only,
 * never a teacher's goal. In 1:1 the principal sees their school and the
 * manager every school, each with buttons to record (and correct) what
 * they own, and a principal adds indicators to the school's goals. Every
 * record and change is checked on the server (IndicatorService).
 */
export function registerIndicators(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('results'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      for (const answer of await resultsAnswers(turn, deps)) {
        await context.sendActivity('card' in answer ? cardMessage(answer.card) : answer.message);
      }
    });
  });

  app.message(isCommand('recordResult'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      await context.sendActivity(cardMessage(await recordForm(turn, deps, {})));
    });
  });

  onCardAction(
    app,
    VERBS.resultsShow,
    async (turn) => {
      const { schoolId } = showRef.parse(actionData(turn.context));
      const [answer] = await resultsAnswers(turn, deps, schoolId);
      return answer ?? { message: turn.strings.indicators.results.none };
    },
    deps,
  );

  onCardAction(app, VERBS.resultsRecord, async (turn) => ({ card: await recordForm(turn, deps, recordRef.parse(actionData(turn.context))) }), deps);

  onCardAction(
    app,
    VERBS.resultsSave,
    async (turn) => {
      const data = actionData(turn.context);
      const { measurementId, version } = saveRef.parse(data);
      const actor = await turn.actor();
      const correcting = measurementId !== undefined && version !== undefined ? { measurementId, version } : undefined;
      try {
        const outcome = await deps.indicators.record(actor, data, correcting);
        if (outcome.kind === 'problems') {
          const targets = await deps.indicators.recordTargets(actor);
          const fixed = correcting ? targets.filter((target) => targetKey(target.indicator.id, target.unitId) === outcome.typed.target) : targets;
          const current = correcting ? await currentMeasurement(deps, actor, outcome.typed.target, correcting.measurementId) : undefined;
          return {
            card: recordFormCard(turn.strings, turn.language, {
              targets: fixed,
              history: [],
              correcting: current,
              values: outcome.typed,
              problems: outcome.problems,
              formId: typeof data.formId === 'string' ? data.formId : newFormId(deps.now()),
              today: today(deps),
            }),
          };
        }
        const { measurement, target } = outcome;
        deps.logger.info(
          {
            activityId: turn.context.activity.id,
            indicatorId: target.indicator.id,
            unitId: target.unitId,
            version: measurement.version,
            outcome: outcome.kind,
          },
          'indicator result recorded',
        );
        const r = turn.strings.indicators.record;
        const value = formatValue(measurement.value, target.indicator.unit, turn.language);
        const line = `${target.indicator.name} · ${target.unitName}: ${value} (${formatDate(measurement.date, turn.language)})`;
        const text = outcome.kind === 'already' ? r.already : correcting ? r.corrected(line) : r.recorded(line);
        const schoolId = target.indicator.goal.level === 'school' ? target.indicator.goal.schoolId : target.unitId;
        const [answer] = await resultsAnswers(turn, deps, schoolId, { text, good: true });
        return answer ?? { message: text };
      } catch (error) {
        if (!isAppError(error, 'STALE') || !correcting) throw error;
        const target = typeof data.target === 'string' ? data.target : '';
        const current = await currentMeasurement(deps, actor, target, correcting.measurementId);
        const targets = (await deps.indicators.recordTargets(actor)).filter((entry) => targetKey(entry.indicator.id, entry.unitId) === target);
        return {
          card: recordFormCard(turn.strings, turn.language, {
            targets,
            history: [],
            correcting: current,
            formId: newFormId(deps.now()),
            today: today(deps),
            notice: { text: turn.strings.indicators.record.stale, good: false },
          }),
        };
      }
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.indicatorEdit,
    async (turn) => {
      const { schoolId, indicatorId } = editRef.parse(actionData(turn.context));
      const actor = await turn.actor();
      const editing = indicatorId ? await deps.indicators.editableIndicator(actor, indicatorId) : undefined;
      const school = deps.indicators.definableSchool(actor, editing?.goal.schoolId ?? schoolId ?? '');
      return {
        card: indicatorFormCard(turn.strings, turn.language, {
          school,
          goals: await deps.indicators.activeGoals(school.id),
          editing,
          formId: newFormId(deps.now()),
        }),
      };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.indicatorSave,
    async (turn) => {
      const data = actionData(turn.context);
      const { schoolId, indicatorId, version, formId } = defineRef.parse(data);
      const actor = await turn.actor();
      const editing = indicatorId !== undefined && version !== undefined ? { indicatorId, version } : undefined;
      const school = deps.indicators.definableSchool(actor, schoolId);
      const goals = await deps.indicators.activeGoals(school.id);
      try {
        const outcome = await deps.indicators.defineIndicator(actor, school.id, data, editing);
        if (outcome.kind === 'problems') {
          const previous = editing ? await deps.indicators.editableIndicator(actor, editing.indicatorId) : undefined;
          return {
            card: indicatorFormCard(turn.strings, turn.language, {
              school,
              goals,
              editing: previous,
              values: outcome.typed,
              problems: outcome.problems,
              formId: formId ?? newFormId(deps.now()),
            }),
          };
        }
        deps.logger.info(
          { activityId: turn.context.activity.id, schoolId, indicatorId: outcome.indicator.id, version: outcome.indicator.version, outcome: outcome.kind },
          'indicator saved',
        );
        const d = turn.strings.indicators.define;
        const [answer] = await resultsAnswers(turn, deps, school.id, { text: outcome.kind === 'already' ? d.already : d.saved, good: true });
        return answer ?? { message: d.saved };
      } catch (error) {
        if (!isAppError(error, 'STALE') || !editing) throw error;
        const current = await deps.indicators.editableIndicator(actor, editing.indicatorId);
        return {
          card: indicatorFormCard(turn.strings, turn.language, {
            school,
            goals,
            editing: current,
            formId: newFormId(deps.now()),
            notice: turn.strings.indicators.define.stale,
          }),
        };
      }
    },
    deps,
  );
}

const optionalText = z.string().min(1).optional();
const showRef = z.object({ schoolId: optionalText });
const recordRef = z.object({ indicatorId: optionalText, unitId: optionalText, measurementId: optionalText });
const saveRef = z.object({ measurementId: optionalText, version: z.coerce.number().int().min(1).optional() });
const editRef = z.object({ schoolId: optionalText, indicatorId: optionalText });
const defineRef = z.object({
  schoolId: z.string().min(1),
  indicatorId: optionalText,
  version: z.coerce.number().int().min(1).optional(),
  formId: optionalText,
});

type Answer = { card: AdaptiveCard } | { message: string };

function today(deps: BotDeps): string {
  return localDateOf(deps.now(), deps.timeZone);
}

/**
 * What `resultat` answers here: in a staff channel the school's card, in
 * the principals' team the organisation's, both without buttons; in 1:1 the
 * organisation's for a manager or admin, a card per school for a principal
 * (or only `schoolId`'s), each with what the person may do.
 */
async function resultsAnswers(turn: Turn, deps: BotDeps, schoolId?: string, notice?: Notice): Promise<Answer[]> {
  const r = turn.strings.indicators.results;
  if (turn.where.kind === 'channel') {
    const school = deps.organisation.schoolByTeam(turn.where.team);
    if (school) return [{ card: await schoolCard(turn, deps, school, CHANNEL_VIEWER, notice) }];
    if (deps.organisation.isPrincipalsTeam(turn.where.team)) return [{ card: await organisationCard(turn, deps, CHANNEL_VIEWER, notice) }];
    return [{ message: r.notHere }];
  }
  if (turn.where.kind !== 'personal') return [{ message: r.notHere }];
  const actor = await turn.actor();
  const scope = deps.indicators.scopeFor(actor);
  if (scope.kind === 'none') return [{ message: r.noneForYou }];
  const viewer = await viewerOf(deps, actor);
  if (scope.kind === 'organisation') return [{ card: await organisationCard(turn, deps, viewer, notice) }];
  const schools = scope.schools.filter((school) => schoolId === undefined || school.id === schoolId);
  return Promise.all(
    (schools.length > 0 ? schools : scope.schools).map(async (school) => ({
      card: await schoolCard(turn, deps, school, { ...viewer, addTo: deps.organisation.mayManage(school, actor) ? school.id : undefined }, notice),
    })),
  );
}

async function viewerOf(deps: BotDeps, actor: Actor): Promise<ResultsViewer> {
  const targets = await deps.indicators.recordTargets(actor);
  const editable = new Set<string>();
  for (const { indicator } of targets) {
    if (
      indicator.goal.level === 'school' &&
      indicator.version > 0 &&
      deps.organisation.mayManage(deps.organisation.schoolById(indicator.goal.schoolId)!, actor)
    ) {
      editable.add(indicator.id);
    }
  }
  return { recordable: new Set(targets.map((target) => targetKey(target.indicator.id, target.unitId))), editable };
}

async function schoolCard(turn: Turn, deps: BotDeps, school: School, viewer: ResultsViewer, notice?: Notice): Promise<AdaptiveCard> {
  const r = turn.strings.indicators.results;
  const results = await deps.indicators.indicatorsForSchool(school.id);
  const overarching = results.filter((result) => result.indicator.goal.level === 'overarching');
  const own = results.filter((result) => result.indicator.goal.level === 'school');
  return resultsCard(turn.strings, turn.language, {
    title: r.title(school.name),
    sections: [
      { heading: r.overarching, results: overarching },
      { heading: r.school(school.name), results: own },
    ],
    viewer,
    notice,
  });
}

async function organisationCard(turn: Turn, deps: BotDeps, viewer: ResultsViewer, notice?: Notice): Promise<AdaptiveCard> {
  const r = turn.strings.indicators.results;
  const { overarching, schools } = await deps.indicators.organisationResults();
  const sections: { heading: string; results: IndicatorResult[] }[] = [
    { heading: r.overarching, results: overarching },
    ...schools.map(({ school, results }) => ({ heading: r.school(school.name), results })),
  ];
  return resultsCard(turn.strings, turn.language, { title: r.title(deps.organisation.name), sections, viewer, notice });
}

/**
 * The measurement form: for every series the person may record, for one
 * indicator's series (one alone comes with its measurements, to correct
 * one), or to correct one measurement. NOT_ALLOWED when they record none.
 */
async function recordForm(turn: Turn, deps: BotDeps, ref: { indicatorId?: string; unitId?: string; measurementId?: string }): Promise<AdaptiveCard> {
  const actor = await turn.actor();
  let targets: RecordTarget[];
  if (ref.indicatorId && ref.unitId) targets = [await deps.indicators.recordTarget(actor, ref.indicatorId, ref.unitId)];
  else targets = (await deps.indicators.recordTargets(actor)).filter((target) => !ref.indicatorId || target.indicator.id === ref.indicatorId);
  if (targets.length === 0) throw new AppError('NOT_ALLOWED', 'records no indicator', { action: 'recordResult' });
  const [only] = targets;
  const history = targets.length === 1 ? await deps.indicators.measurementsOf(actor, only!.indicator.id, only!.unitId) : [];
  const correcting = ref.measurementId ? history.find((m) => m.id === ref.measurementId) : undefined;
  if (ref.measurementId && !correcting) throw new AppError('NOT_FOUND', 'no such measurement');
  return recordFormCard(turn.strings, turn.language, { targets, history, correcting, formId: newFormId(deps.now()), today: today(deps) });
}

async function currentMeasurement(deps: BotDeps, actor: Actor, target: string, measurementId: string): Promise<Measurement | undefined> {
  const [indicatorId, unitId] = target.split('|');
  if (!indicatorId || !unitId) return undefined;
  return (await deps.indicators.measurementsOf(actor, indicatorId, unitId)).find((m) => m.id === measurementId);
}
