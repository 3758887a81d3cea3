import { type FieldProblem, FOCUS_LIMITS, type FocusAreaField } from '../domain/schoolFocus';
import type { FocusFormCardFields } from './schoolFocus';
import type { FocusProposal, GoalDraft, Participation } from '../domain/goalDialogue';
import type { Strings } from '../i18n';
import { noAccidentalList } from './markdown';
import { focusAreaFormLabels, focusAreaFormProblems } from './schoolFocusViews';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * The school's fokusområde in the principal's målsamtal with the managers
 * (domain/cascadeFocus.ts): its form, and the line the principal's summary
 * shows of it. Only in the principal's 1:1 chat.
 */

export interface CascadeFocusFormCardData extends FocusFormCardFields {
  labels: FocusFormCardFields['labels'] & { keep: string };
  dialogueId: string;
}

export function renderCascadeFocusFormCard(data: CascadeFocusFormCardData): AdaptiveCard {
  return expandCard('cascadeFocusForm', { ...data, verbs: { save: VERBS.goalsFocusSave, keep: VERBS.goalsFocusKeep } });
}

/** The form's values: the principal's proposal, else the school's current fokusområde, else empty. */
export interface CascadeFocusValues {
  title: string;
  period: string;
  why: string;
  /** Goal numbers, "1,2". */
  goals: string;
}

export function cascadeFocusFormCard(
  strings: Strings,
  options: {
    dialogueId: string;
    schools: string;
    goals: readonly GoalDraft[];
    values: CascadeFocusValues;
    /** The school has a fokusområde now: "Behåll det nuvarande", else "Hoppa över". */
    hasCurrent: boolean;
    problems?: Partial<Record<FocusAreaField, FieldProblem>>;
  },
): AdaptiveCard {
  const f = strings.network.focus;
  const problems = options.problems ?? {};
  return renderCascadeFocusFormCard({
    title: f.title,
    intro: options.hasCurrent ? f.intro(options.schools) : f.introNone(options.schools),
    notice: Object.keys(problems).length > 0 ? strings.focus.problems.heading : '',
    values: options.values,
    problems: focusAreaFormProblems(strings, problems),
    limits: { title: FOCUS_LIMITS.title, period: FOCUS_LIMITS.period, why: FOCUS_LIMITS.why },
    goals: options.goals.map((goal, index) => ({ title: f.goal(index + 1, noAccidentalList(goal.goal ?? '')), value: String(index + 1) })),
    labels: {
      ...focusAreaFormLabels(strings),
      goals: f.goals,
      save: f.save,
      keep: options.hasCurrent ? f.keep : f.skip,
    },
    dialogueId: options.dialogueId,
  });
}

/** The form's values of a proposal. */
export function valuesOfProposal(proposal: FocusProposal): CascadeFocusValues {
  return { title: proposal.title, period: proposal.period, why: proposal.why, goals: proposal.goalIndexes.map((i) => String(i + 1)).join(',') };
}

/** What the principal's summary says of the fokusområde: the proposal, or that the current one stays. */
export function cascadeFocusLine(strings: Strings, participation: Pick<Participation, 'focusArea'>): string {
  const f = strings.network.focus;
  const focus = participation.focusArea;
  if (!focus) return '';
  if (!('title' in focus)) return `${f.heading}: ${f.kept(f.keptCurrent)}`;
  const parts = [
    `${f.heading}: ${noAccidentalList(focus.title)}`,
    focus.period && f.period(noAccidentalList(focus.period)),
    focus.goalIndexes.length > 0 && f.serves(focus.goalIndexes.map((i) => i + 1).join(', ')),
  ];
  return parts.filter(Boolean).join(' · ');
}
