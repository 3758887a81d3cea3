import { carryOverOfferCard, myGoalsCard, stringsForDialogue } from '../cards/goalViews';
import type { AdaptiveCard } from '../cards/render';
import { hasContent } from '../domain/goalDialogue';
import type { TeacherActResult } from '../domain/goalDialogueSteps';
import type { SchoolYear } from '../domain/organisation';
import type { Strings } from '../i18n';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import type { Turn } from './turn';

/**
 * Målsamtal by läsår in the 1:1 chat: `mina mål` of the current läsår or of
 * another one (read-only), and the offer to start a new läsår's goals from
 * last läsår's. The rules are in src/domain/goalDialogueYears.ts.
 */

/** A läsår the organisation file does not list, answered with those it does. */
export function unknownSchoolYear(strings: Strings, choice: { unknown: string; known: readonly SchoolYear[] }): string {
  const words = strings.schoolYear;
  return words.unknown(choice.unknown, choice.known.map((year) => words.knownYear(year.id, year.name)).join(', '));
}

/**
 * `mina mål` (no `words`: the current läsår, to continue or change) or
 * `mina mål förra läsåret` / `mina mål 2025-26` (read-only).
 */
export async function sendMyGoals(turn: Turn, deps: BotDeps, words = ''): Promise<void> {
  const { context, strings, language } = turn;
  const chosen = deps.goalYears.choose(words);
  if ('unknown' in chosen) {
    await context.sendActivity(unknownSchoolYear(strings, chosen));
    return;
  }
  const me = turn.person();
  const { rows, years } = await deps.goalYears.teacherGoals(me.tenantId, me.aadObjectId, chosen.year);
  const current = deps.goalYears.currentYear();
  if (chosen.year.id !== current.id) {
    await context.sendActivity(cardMessage(myGoalsCard(strings, language, rows, { year: chosen.year })));
    return;
  }
  const earlier = years.find((year) => year.start < current.start);
  await context.sendActivity(
    cardMessage(myGoalsCard(strings, language, rows, earlier ? { earlier: { current: strings.schoolYear.yearName(current), example: earlier.id } } : {})),
  );
}

/**
 * The offer to start from last läsår's goals, when a move leaves her at
 * the first question of a dialogue with nothing written (she began or came
 * back) and she confirmed goals the läsår before: one card with one
 * button. Read only then, so a step costs nothing more.
 */
export async function carryOverOffer(turn: Turn, deps: BotDeps, result: TeacherActResult): Promise<AdaptiveCard | undefined> {
  if (result.stale) return undefined;
  const { participation, dialogue, reply } = result;
  if (reply.kind !== 'ask' || reply.goalIndex !== 0 || reply.step !== 'schoolGoals' || reply.followUp) return undefined;
  if (participation.carriedOver || participation.goals.some(hasContent)) return undefined;
  const last = await deps.goalYears.lastYearGoals(dialogue.tenantId, participation.aadObjectId, dialogue);
  if (!last) return undefined;
  return carryOverOfferCard(stringsForDialogue(turn.strings, dialogue), dialogue, { year: last.year.id, goals: last.goals }, participation.versions);
}
