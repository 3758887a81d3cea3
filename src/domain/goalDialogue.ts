import { localDateOf } from '../time';

/**
 * Målsamtal: a principal's goal dialogue with the teachers of one school,
 * and each teacher's part in it (their goals, written step by step).
 * Plain data and rules; storage and Teams live elsewhere.
 */

export * from './goalDialogueSchemas';
import {
  type Dialogue,
  GOAL_STEPS,
  type GoalDraft,
  goalDraftSchema,
  type GoalStep,
  MAX_ANSWER_CHARS,
  MAX_GOALS,
  MIN_ANSWER_CHARS,
  type Participation,
} from './goalDialogueSchemas';

/** What the teacher did, parsed from typed text or a card. */
export type FlowInput =
  | { kind: 'start' }
  /** Text typed after the invitation, before starting: a choice of school goals, or the goal itself. */
  | { kind: 'startWithText'; text: string }
  | { kind: 'answer'; text: string }
  | { kind: 'chooseGoals'; ids: string[] }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'back' }
  | { kind: 'cancel' }
  | { kind: 'edit'; goalIndex: number; step: GoalStep }
  | { kind: 'addGoal' }
  | { kind: 'removeGoal'; goalIndex: number }
  | { kind: 'confirm' }
  /** Start from her goals of the previous läsår, already made into drafts for this dialogue (goalDialogueYears.ts, carryOver). */
  | { kind: 'carryOver'; fromDialogueId: string; goals: GoalDraft[]; droppedLinks: string[] };

/** What to show next; the bot turns it into a message or card. */
export type FlowReply =
  | { kind: 'ask'; goalIndex: number; step: GoalStep; followUp: boolean }
  /** The text typed after the invitation is kept as the first goal; its school goals come first. */
  | { kind: 'keptAsGoal'; goalIndex: number }
  | { kind: 'summary' }
  | { kind: 'confirmed'; late: boolean }
  | { kind: 'paused' }
  | { kind: 'cancelled' }
  | { kind: 'tooLong'; length: number; goalIndex: number; step: GoalStep }
  | { kind: 'invalidGoals'; goalIndex: number }
  | { kind: 'maxGoals' }
  | { kind: 'closed' }
  | { kind: 'nothingToUndo'; goalIndex: number; step: GoalStep }
  /** Last läsår's goals are her draft now; `droppedLinks` are the school goals they linked to that this dialogue does not offer. */
  | { kind: 'carriedOver'; count: number; droppedLinks: string[] }
  /** Copied before (a second click, or a card delivered twice): nothing copied again. */
  | { kind: 'carriedOverAlready' }
  /** She has written goals in this dialogue already: last läsår's are not copied over them. */
  | { kind: 'carryOverRefused' };

export interface FlowResult {
  participation: Participation;
  reply: FlowReply;
  /** True when something was saved (the caller writes the participation). */
  changed: boolean;
  /** True when the goals were confirmed now (a new version to keep, the principal to notify). */
  confirmed: boolean;
}

/** Typed at the summary, these confirm the goals. */
const CONFIRM_WORDS = /^(klar|klart|bekräfta|jag är klar|done|confirm|i'm done|i am done)$/i;
const SKIP_SUPPORT = /^(nej|nej tack|inget|ingen|inga|-|–|hoppa över|no|none|nothing|skip|no thanks)$/i;

/** The first unanswered step, or the summary when everything needed is there. */
export function firstUnanswered(participation: Participation): Participation['cursor'] {
  for (const [goalIndex, goal] of participation.goals.entries()) {
    const step = missingStep(goal);
    if (step) return { goalIndex, step };
  }
  if (participation.goals.length === 0) return { goalIndex: 0, step: 'schoolGoals' };
  return { goalIndex: 0, step: 'summary' };
}

/** A goal with something written or chosen in it. */
export function hasContent(goal: GoalDraft): boolean {
  return Boolean(goal.goal?.trim()) || goal.schoolGoalIds.length > 0;
}

function missingStep(goal: GoalDraft): GoalStep | undefined {
  if (goal.schoolGoalIds.length === 0) return 'schoolGoals';
  if (!goal.goal) return 'goal';
  if (!goal.how) return 'how';
  if (!goal.evidence) return 'evidence';
  if (!goal.support && !goal.supportSkipped) return 'support';
  return undefined;
}

function nextStep(step: GoalStep): GoalStep | undefined {
  return GOAL_STEPS[GOAL_STEPS.indexOf(step) + 1];
}

function previousStep(step: GoalStep): GoalStep | undefined {
  return GOAL_STEPS[GOAL_STEPS.indexOf(step) - 1];
}

/**
 * One move in the guided writing of goals. Every answer is part of the
 * returned participation at once, so the caller saves a draft per answer.
 * `timeZone` is the school's (the configured one): a confirmation after the
 * end of the deadline's day there is late.
 */
export function advance(dialogue: Dialogue, current: Participation, input: FlowInput, now: Date, timeZone: string): FlowResult {
  const p: Participation = structuredClone(current);
  const result = (reply: FlowReply, changed = true, confirmed = false): FlowResult => {
    if (changed) p.updatedAt = now.toISOString();
    return { participation: p, reply, changed, confirmed };
  };
  const ask = (followUp = false): FlowReply =>
    p.cursor.step === 'summary' ? { kind: 'summary' } : { kind: 'ask', goalIndex: p.cursor.goalIndex, step: p.cursor.step, followUp };

  if (dialogue.status === 'closed' && input.kind !== 'pause' && input.kind !== 'cancel') return result({ kind: 'closed' }, false);

  switch (input.kind) {
    case 'start':
    case 'resume': {
      p.paused = false;
      if (p.status === 'not-started') {
        p.status = 'in-progress';
        p.startedAt = now.toISOString();
      }
      if (p.status === 'done') {
        setCursor(p, { goalIndex: 0, step: 'summary' });
        return result({ kind: 'summary' });
      }
      setCursor(p, firstUnanswered(p));
      return result(ask());
    }
    case 'startWithText': {
      // Typed after the invitation: the dialogue starts, and the text is used rather than dropped.
      const started = advance(dialogue, current, { kind: 'start' }, now, timeZone);
      const text = input.text.trim();
      if (started.participation.cursor.step !== 'schoolGoals') return started;
      if (parseGoalChoice(dialogue, text)) return advance(dialogue, started.participation, { kind: 'answer', text }, now, timeZone);
      // A greeting or a word is no goal: the first question is the answer to it.
      if (text.length < MIN_ANSWER_CHARS) return started;
      const q = started.participation;
      if (text.length > MAX_ANSWER_CHARS)
        return { ...started, reply: { kind: 'tooLong', length: text.length, goalIndex: q.cursor.goalIndex, step: 'schoolGoals' } };
      ensureGoal(q, q.cursor.goalIndex).goal = text;
      return { ...started, reply: { kind: 'keptAsGoal', goalIndex: q.cursor.goalIndex } };
    }
    case 'pause':
      p.paused = true;
      return result({ kind: 'paused' });
    case 'cancel':
      p.paused = true;
      p.editing = false;
      return result({ kind: 'cancelled' });
    case 'back': {
      p.paused = false;
      if (p.cursor.step === 'summary') {
        const last = p.goals.length - 1;
        if (last < 0) return result(ask(), false);
        setCursor(p, { goalIndex: last, step: 'support' });
        return result(ask());
      }
      const before = previousStep(p.cursor.step);
      if (before) setCursor(p, { goalIndex: p.cursor.goalIndex, step: before });
      else if (p.cursor.goalIndex > 0) setCursor(p, { goalIndex: p.cursor.goalIndex - 1, step: 'support' });
      else return result({ kind: 'nothingToUndo', goalIndex: 0, step: 'schoolGoals' }, false);
      return result(ask());
    }
    case 'edit': {
      if (!p.goals[input.goalIndex]) return result(ask(), false);
      p.paused = false;
      p.editing = true;
      setCursor(p, { goalIndex: input.goalIndex, step: input.step });
      if (p.status === 'not-started') p.status = 'in-progress';
      return result(ask());
    }
    case 'addGoal': {
      if (p.goals.length >= MAX_GOALS) return result({ kind: 'maxGoals' }, false);
      p.paused = false;
      p.editing = false;
      p.goals.push(goalDraftSchema.parse({}));
      setCursor(p, { goalIndex: p.goals.length - 1, step: 'schoolGoals' });
      if (p.status === 'done') p.status = 'in-progress';
      return result(ask());
    }
    case 'removeGoal': {
      if (!p.goals[input.goalIndex] || p.goals.length <= 1) return result({ kind: 'summary' }, false);
      p.goals.splice(input.goalIndex, 1);
      // A proposed fokusområde keeps pointing at the same goals.
      const focus = p.focusArea;
      if (focus && 'title' in focus) focus.goalIndexes = focus.goalIndexes.filter((i) => i !== input.goalIndex).map((i) => (i > input.goalIndex ? i - 1 : i));
      setCursor(p, firstUnanswered(p));
      return result(ask());
    }
    case 'confirm': {
      const missing = firstUnanswered(p);
      if (missing.step !== 'summary') {
        setCursor(p, missing);
        return result(ask());
      }
      p.status = 'done';
      p.paused = false;
      p.editing = false;
      p.confirmedAt = now.toISOString();
      p.late = p.late || isAfterDeadline(dialogue, now, timeZone);
      p.versions += 1;
      return result({ kind: 'confirmed', late: p.late }, true, true);
    }
    case 'carryOver': {
      if (p.carriedOver) return result({ kind: 'carriedOverAlready' }, false);
      if (p.status === 'done' || p.goals.some(hasContent)) return result({ kind: 'carryOverRefused' }, false);
      p.goals = structuredClone(input.goals).slice(0, MAX_GOALS);
      p.carriedOver = { dialogueId: input.fromDialogueId, at: now.toISOString() };
      p.paused = false;
      p.editing = false;
      if (p.status === 'not-started') {
        p.status = 'in-progress';
        p.startedAt = now.toISOString();
      }
      // Still a draft: she reads it in the summary (or is asked for what a dropped link left open) and confirms herself.
      setCursor(p, firstUnanswered(p));
      return result({ kind: 'carriedOver', count: p.goals.length, droppedLinks: input.droppedLinks });
    }
    case 'chooseGoals':
      return chooseGoals(dialogue, p, input.ids, result, ask);
    case 'answer':
      if (p.cursor.step === 'summary' && CONFIRM_WORDS.test(input.text.trim())) return advance(dialogue, current, { kind: 'confirm' }, now, timeZone);
      return answer(dialogue, p, input.text, result, ask);
  }
}

type Result = (reply: FlowReply, changed?: boolean, confirmed?: boolean) => FlowResult;
type Ask = (followUp?: boolean) => FlowReply;

/** Every move of the cursor ends a pending follow-up. */
function setCursor(p: Participation, cursor: Participation['cursor']): void {
  p.cursor = cursor;
  p.awaitingFollowUp = false;
}

function ensureGoal(p: Participation, index: number): GoalDraft {
  while (p.goals.length <= index) p.goals.push(goalDraftSchema.parse({}));
  return p.goals[index]!;
}

function moveOn(p: Participation): void {
  const { goalIndex, step } = p.cursor;
  if (step === 'summary') return;
  const after = nextStep(step);
  if (p.editing || !after) {
    p.editing = false;
    const missing = firstUnanswered(p);
    setCursor(p, missing.step === 'summary' ? { goalIndex: 0, step: 'summary' } : missing);
    return;
  }
  setCursor(p, { goalIndex, step: after });
}

function chooseGoals(dialogue: Dialogue, p: Participation, ids: string[], result: Result, ask: Ask): FlowResult {
  if (p.cursor.step !== 'schoolGoals') return result(ask(), false);
  const known = new Set(dialogue.schoolGoals.map((goal) => goal.id));
  const chosen = [...new Set(ids)].filter((id) => known.has(id));
  if (chosen.length === 0 || chosen.length !== new Set(ids).size) return result({ kind: 'invalidGoals', goalIndex: p.cursor.goalIndex }, false);
  p.paused = false;
  if (p.status === 'not-started') p.status = 'in-progress';
  const goal = ensureGoal(p, p.cursor.goalIndex);
  const firstChoice = goal.schoolGoalIds.length === 0;
  goal.schoolGoalIds = chosen;
  // A goal kept from the invitation's reply is not asked for again.
  const missing = missingStep(goal);
  if (firstChoice && !p.editing && missing) setCursor(p, { goalIndex: p.cursor.goalIndex, step: missing });
  else moveOn(p);
  return result(ask());
}

/** Typed choice of school goals: "1", "1 och 3", "1, 2", or a goal's title. */
export function parseGoalChoice(dialogue: Dialogue, text: string): string[] | undefined {
  const numbers = text.match(/\d+/g);
  const cleaned = text.replace(/\d+|,|och|and|&|\s/gi, '');
  if (numbers && cleaned.length === 0) {
    const ids = numbers.map((n) => dialogue.schoolGoals[Number(n) - 1]?.id);
    return ids.every((id): id is string => Boolean(id)) ? ids : undefined;
  }
  const byTitle = dialogue.schoolGoals.filter((goal) => goal.title.toLowerCase() === text.trim().toLowerCase());
  return byTitle.length > 0 ? byTitle.map((goal) => goal.id) : undefined;
}

function answer(dialogue: Dialogue, p: Participation, raw: string, result: Result, ask: Ask): FlowResult {
  const { goalIndex, step } = p.cursor;
  if (step === 'summary') return result({ kind: 'summary' }, false);
  if (step === 'schoolGoals') {
    const ids = parseGoalChoice(dialogue, raw);
    return ids ? chooseGoals(dialogue, p, ids, result, ask) : result({ kind: 'invalidGoals', goalIndex }, false);
  }
  const text = raw.trim();
  if (text.length > MAX_ANSWER_CHARS) return result({ kind: 'tooLong', length: text.length, goalIndex, step }, false);
  p.paused = false;
  if (p.status === 'not-started') {
    p.status = 'in-progress';
  }
  const goal = ensureGoal(p, goalIndex);
  if (step === 'support') {
    if (text.length === 0 || SKIP_SUPPORT.test(text)) {
      goal.support = undefined;
      goal.supportSkipped = true;
    } else {
      goal.support = text;
      goal.supportSkipped = false;
    }
    moveOn(p);
    return result(ask());
  }
  if (p.awaitingFollowUp) {
    // The answer to the follow-up question adds to the short first answer
    // (kept as a draft when it came), as a paragraph of its own; nothing the teacher wrote is replaced.
    const combined = [goal[step], text].filter(Boolean).join('\n\n');
    if (!combined) return result(ask(), false);
    goal[step] = combined;
    moveOn(p);
    return result(ask());
  }
  if (text.length < MIN_ANSWER_CHARS && !goal.followedUp.includes(step)) {
    goal.followedUp.push(step);
    if (text) goal[step] = text;
    p.awaitingFollowUp = true;
    return result(ask(true));
  }
  if (!text) return result(ask(), false);
  goal[step] = text;
  moveOn(p);
  return result(ask());
}

/** The deadline is the end of its day in the school's time zone (the configured one). */
export function isAfterDeadline(dialogue: Pick<Dialogue, 'deadline'>, now: Date, timeZone: string): boolean {
  return localDateOf(now, timeZone) > dialogue.deadline;
}

export type ParticipantState = 'not-started' | 'in-progress' | 'done' | 'late' | 'not-reachable';

export function participantState(participation: Participation | undefined, reachable: boolean): ParticipantState {
  if (!reachable && (!participation || participation.status === 'not-started')) return 'not-reachable';
  if (!participation) return 'not-started';
  if (participation.status === 'done') return participation.late ? 'late' : 'done';
  return participation.status;
}

// --- The dialogue's own life: open ⇄ closed, moved by its principal ---

/** Teachers who have not finished: not started, or started and not confirmed. */
export function unfinished(participations: Participation[]): Participation[] {
  return participations.filter((p) => p.status !== 'done');
}

/**
 * open → closed, or closed → open again. True when the dialogue moved (the
 * caller saves it and tells those concerned); false when it was there
 * already (a double click), and then nothing is to follow.
 */
export function moveDialogue(dialogue: Dialogue, to: Dialogue['status'], now: Date): boolean {
  if (dialogue.status === to) return false;
  dialogue.status = to;
  if (to === 'closed') dialogue.closedAt = now.toISOString();
  else dialogue.reopenedAt = now.toISOString();
  return true;
}
