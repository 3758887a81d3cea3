import type { Dialogue, FocusProposal, GoalDraft, Participation } from './goalDialogue';
import { isOrganisationUnit } from './organisation';
import { type FieldProblem, type FocusArea, type FocusAreaField, focusAreaFormSchema } from './schoolFocus';

/**
 * The school's fokusområde as part of the principal's målsamtal with the
 * managers (seed 000: every principal chooses a fokusområde with the staff
 * for a period). When the principal's goals are written, the flow asks for
 * the fokusområde (title, period, why, which of the goals it serves),
 * starting from the school's current one; the proposal is kept on the
 * participation and becomes the school's fokusområde, a new version through
 * the school-focus service, when the goals become the school's.
 */

/** Whether the dialogue is one where principals propose their school's fokusområde. */
export function asksFocusArea(dialogue: Pick<Dialogue, 'schoolId'>): boolean {
  return isOrganisationUnit(dialogue.schoolId);
}

/** The principal has written the goals and not yet answered the fokusområde: the flow shows its form before the summary. */
export function needsFocusArea(dialogue: Pick<Dialogue, 'schoolId'>, participation: Participation): boolean {
  return asksFocusArea(dialogue) && participation.focusArea === undefined && participation.status !== 'done';
}

/** The proposal, when the principal made one (not when they kept the current fokusområde). */
export function proposalOf(participation: Pick<Participation, 'focusArea'>): FocusProposal | undefined {
  const focus = participation.focusArea;
  return focus && 'title' in focus ? focus : undefined;
}

/** The school goal a principal's goal becomes (goalChain.ts gives it this id). */
export function adoptedGoalId(dialogueId: string, goalIndex: number): string {
  return `${dialogueId}-${goalIndex + 1}`;
}

/** The proposal as the school's fokusområde: its goals as the school goals the principal's goals became. */
export function focusAreaOf(dialogueId: string, proposal: FocusProposal, goals: readonly GoalDraft[]): FocusArea {
  return {
    title: proposal.title,
    period: proposal.period,
    why: proposal.why,
    goalIds: proposal.goalIndexes.filter((index) => index < goals.length).map((index) => adoptedGoalId(dialogueId, index)),
  };
}

/**
 * The form's goals back as the principal's goals: a school goal this
 * dialogue made becomes its goal's index again; others are left out.
 */
export function goalIndexesOf(dialogueId: string, goalIds: readonly string[], goalCount: number): number[] {
  return Array.from({ length: goalCount }, (_, index) => index).filter((index) => goalIds.includes(adoptedGoalId(dialogueId, index)));
}

export type CascadeFocusForm =
  { ok: true; value: FocusProposal } | { ok: false; problems: Partial<Record<FocusAreaField, FieldProblem>>; typed: Record<FocusAreaField, string> };

/** The fokusområde form in the principal's flow: as the school's form, its goals by number ("1,2") among the principal's `goalCount` goals. */
export function readCascadeFocusForm(data: Record<string, unknown>, goalCount: number): CascadeFocusForm {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const typed = { title: text(data.title), period: text(data.period), why: text(data.why), goals: text(data.goals) };
  const parsed = focusAreaFormSchema.safeParse(data);
  const problems: Partial<Record<FocusAreaField, FieldProblem>> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems[issue.path[0] as FocusAreaField] ??= issue.message === 'tooLong' ? 'tooLong' : 'required';
  }
  const indexes = (parsed.success ? parsed.data.goals : []).map((n) => Number(n) - 1);
  if (indexes.some((index) => !Number.isInteger(index) || index < 0 || index >= goalCount)) problems.goals = 'unknownGoal';
  if (!parsed.success || Object.keys(problems).length > 0) return { ok: false, problems, typed };
  const { title, period, why } = parsed.data;
  return { ok: true, value: { title, period, why, goalIndexes: [...new Set(indexes)].sort((a, b) => a - b) } };
}
