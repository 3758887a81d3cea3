import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { followUpAnalysisCard, followUpRollupCard, followUpStartCard, roundTitle, schoolAnalysisFormCard } from '../cards/followUps';
import { followUpRollupAnalysesCard } from '../cards/followUpRollupAnalyses';
import { dialogueTitle, formatDate } from '../cards/goalViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { AppError } from '../domain/errors';
import { hasOpened, roundFormSchema } from '../domain/followUp';
import { anyWritten } from '../domain/followUpRollupAnalyses';
import { FollowUpService } from '../domain/followUpService';
import { formIdOf, newFormId } from '../domain/formIds';
import { defaultDialogueTitle, type DialogueTerm } from '../domain/goalDialogueService';
import { stringsFor } from '../i18n';
import { localDateOf } from '../time';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { resultDialogueOffer, sendSideBySide } from './resultDialogue';
import { isCommand, type Turn, turnOf } from './turn';

const roundRefSchema = z.object({ roundId: z.string().min(1) });
const goalRefSchema = roundRefSchema.extend({ goalId: z.string().min(1) });

/**
 * Uppföljning for the owner of a målsamtal (the principal; a manager for
 * the principals' målsamtal): start or plan a round in the staff team's
 * channel or in 1:1, read the analysis and close the round in 1:1, write
 * the school's analysis per goal. Every entry checks the sender against
 * the organisation file in FollowUpService; no answer text goes to a channel.
 */
export function registerFollowUps(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('startFollowUp'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const units = deps.followUps.managedUnits(await turn.actor(), turn.where.team);
      const card = await startForm(turn, deps, units, newFormId(deps.now()));
      await context.sendActivity(card ? cardMessage(card) : turn.strings.followUp.start.noDialogues);
    });
  });

  onCardAction(
    app,
    VERBS.followUpStart,
    async (turn) => {
      const actor = await turn.actor();
      const units = deps.followUps.managedUnits(actor, turn.where.team);
      const data = actionData(turn.context);
      const form = roundFormSchema.parse(data);
      const formId = formIdOf(data) ?? newFormId(deps.now());
      const { aadObjectId, userId, name, tenantId } = turn.person();
      const result = await deps.followUps.startRound(tenantId, actor, { aadObjectId, userId, name }, units, { ...form, ...termKept(form.title, deps) }, formId);
      if ('problems' in result) {
        const card = await startForm(turn, deps, units, formId, form, result.problems);
        return card ? { card } : { message: turn.strings.followUp.start.noDialogues };
      }
      const { round } = result;
      const start = turn.strings.followUp.start;
      if (!result.existing) deps.logger.info({ roundId: round.id, planned: round.startsOn !== undefined }, 'follow-up round created');
      const title = roundTitle(turn.strings, round);
      return { message: round.startsOn ? start.planned(title, formatDate(round.startsOn, turn.language)) : start.startedSoon(title) };
    },
    deps,
  );

  app.message(isCommand('analysis'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const actor = await turn.actor();
      const { tenantId } = turn.person();
      const everySchool = deps.followUpRecord.seesEverySchool(actor);
      if (everySchool) {
        const rollup = await deps.followUpRecord.rollup(tenantId, actor);
        await context.sendActivity(cardMessage(followUpRollupCard(turn.strings, turn.language, rollup)));
        // The schools' written analyses side by side (followUpRounds.ts turns the pages); the command works only in 1:1.
        if (anyWritten(rollup.written))
          await context.sendActivity(cardMessage(followUpRollupAnalysesCard(turn.strings, turn.language, { ...rollup, page: 1 })));
      }
      const units = deps.organisation.unitsManagedBy(actor);
      if (units.length === 0 && !everySchool) throw new AppError('NOT_ALLOWED', 'not an owner', { action: 'followUp' });
      const latest = (await deps.followUps.roundsOfUnits(tenantId, units)).find(hasOpened);
      if (latest) await context.sendActivity(cardMessage(await analysisCard(turn, deps, latest.roundId)));
      if (latest) await sendSideBySide(context, turn, deps, latest.roundId);
      else if (!everySchool) await context.sendActivity(turn.strings.followUp.analysis.none);
    });
  });

  onCardAction(
    app,
    VERBS.followUpAnalysis,
    async (turn) => ({ card: await analysisCard(turn, deps, roundRefSchema.parse(actionData(turn.context)).roundId) }),
    deps,
  );

  onCardAction(
    app,
    VERBS.followUpClose,
    async (turn) => {
      const { roundId } = roundRefSchema.parse(actionData(turn.context));
      const { round, changed } = await deps.followUps.closeRound(turn.person().tenantId, roundId, await turn.actor());
      const a = turn.strings.followUp.analysis;
      // Pressed twice: closed once, the analysis sent once.
      return { card: await analysisCard(turn, deps, round.id, changed ? a.closedNow(roundTitle(turn.strings, round)) : a.alreadyClosed) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.schoolAnalysisEdit,
    async (turn) => {
      const { roundId, goalId } = goalRefSchema.parse(actionData(turn.context));
      const view = await deps.followUps.analysis(turn.person().tenantId, roundId, await turn.actor());
      const goal = view.analysis.goals.find((entry) => entry.id === goalId);
      if (!goal) throw new AppError('NOT_FOUND', 'not a goal of the round');
      return { card: schoolAnalysisFormCard(turn.strings, turn.language, { round: view.round, goal, ...withCurrent(view.written.get(goalId)) }) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.schoolAnalysisSave,
    async (turn) => {
      const data = actionData(turn.context);
      const { roundId, goalId } = goalRefSchema.parse(data);
      const { tenantId } = turn.person();
      const actor = await turn.actor();
      const result = await deps.followUpRecord.writeSchoolAnalysis(tenantId, actor, data);
      const s = turn.strings.followUp.schoolAnalysis;
      if ('tooLong' in result) {
        const view = await deps.followUps.analysis(tenantId, roundId, actor);
        const goal = view.analysis.goals.find((entry) => entry.id === goalId)!;
        const sent = z.object({ shows: z.string().default(''), why: z.string().default(''), actions: z.string().default('') }).parse(data);
        return {
          card: schoolAnalysisFormCard(turn.strings, turn.language, {
            round: view.round,
            goal,
            ...withCurrent(view.written.get(goalId)),
            sent,
            notice: s.tooLong,
          }),
        };
      }
      deps.logger.info({ roundId, version: result.saved.version }, "school's analysis saved");
      return { card: await analysisCard(turn, deps, roundId, s.saved(result.saved.version)) };
    },
    deps,
  );
}

function withCurrent<T>(current: T | undefined): { current?: T } {
  return current ? { current } : {};
}

async function analysisCard(turn: Turn, deps: BotDeps, roundId: string, notice?: string): Promise<AdaptiveCard> {
  const view = await deps.followUps.analysis(turn.person().tenantId, roundId, await turn.actor());
  return followUpAnalysisCard(turn.strings, turn.language, { ...view, ...(notice ? { notice } : {}) });
}

/** The start form for the units' målsamtal, newest first; undefined when there is none to follow up. */
async function startForm(
  turn: Turn,
  deps: BotDeps,
  units: ReturnType<FollowUpService['managedUnits']>,
  formId: string,
  sent?: z.infer<typeof roundFormSchema>,
  problems: Parameters<typeof followUpStartCard>[5] = [],
): Promise<AdaptiveCard | undefined> {
  const dialogues = await deps.followUps.dialoguesOf(turn.person().tenantId, units);
  if (dialogues.length === 0) return undefined;
  const now = deps.now();
  const today = localDateOf(now, deps.timeZone);
  const { term, year } = defaultDialogueTitle(now, deps.timeZone);
  const unitName = (schoolId: string) => units.find((unit) => unit.id === schoolId)?.name ?? '';
  const choices = dialogues.map((dialogue) => ({
    title: units.length > 1 ? `${dialogueTitle(turn.strings, dialogue)} – ${unitName(dialogue.schoolId)}` : dialogueTitle(turn.strings, dialogue),
    value: dialogue.id,
  }));
  const values = sent
    ? { ...sent, reminders: sent.reminders !== 'false', ...resultDialogueOffer(dialogues, sent.resultDialogue === 'true') }
    : {
        title: turn.strings.followUp.defaultTitle(term, year),
        dialogueId: dialogues[0]!.id,
        startsOn: '',
        lastDay: FollowUpService.lastDayDefault(today),
        reminders: true,
        ...resultDialogueOffer(dialogues, true),
      };
  return followUpStartCard(turn.strings, choices, values, today, formId, problems);
}

/** The term when the owner kept the suggested title (in either language): each reader then sees it in their own. */
function termKept(title: string, deps: BotDeps): { term?: DialogueTerm } {
  const { term, year } = defaultDialogueTitle(deps.now(), deps.timeZone);
  const kept = (['sv', 'en'] as const).some((language) => stringsFor(language).followUp.defaultTitle(term, year) === title.trim());
  return kept ? { term: { term, year } } : {};
}
