import { isDone, reflectionGoalId, reflectionKey, type Response, type Round } from './followUp';

/**
 * The analysis of a follow-up round, pure: per goal of the målsamtal (the
 * school's goals; at the organisation level the overarching goals) and one
 * level up (the goals those serve), the distribution of progress 1–5, its
 * mean and median, the change since the previous round, who has not
 * answered, the "what has worked" and "next step" answers, and how many
 * learning-group reflections named the teachers' goals. Only confirmed
 * answers count. A teacher goal that serves two school goals counts under
 * each of them.
 */

/** Counts of progress 1..5 (index 0 is progress 1). */
export type Distribution = [number, number, number, number, number];

export interface Stats {
  distribution: Distribution;
  /** Confirmed answers counted. */
  count: number;
  /** Undefined when nothing was counted. */
  mean?: number;
  median?: number;
}

export interface GoalAnalysis {
  id: string;
  title: string;
  stats: Stats;
  previous?: Stats;
  /** Confirmed answers, as written (the owner's 1:1 view only). */
  worked: { name: string; text: string }[];
  next: { name: string; text: string }[];
  evidence: { name: string; text: string; value?: number; unit: string }[];
  support: { name: string; text: string }[];
  /** Learning-group check-in answers that named a teacher goal serving this goal. */
  reflections: number;
}

export interface RollupLine {
  id: string;
  title: string;
  stats: Stats;
  previous?: Stats;
}

export interface RoundAnalysis {
  roundId: string;
  answered: number;
  total: number;
  notAnswered: string[];
  goals: GoalAnalysis[];
  /** One level up: the goals the round's goals serve. */
  upward: RollupLine[];
}

export interface AnalysisInput {
  round: Round;
  responses: readonly Response[];
  /** The målsamtal's goals: id, title, and the goals one level up they serve. */
  goals: readonly { id: string; title: string; serves: readonly string[] }[];
  /** Titles of the goals one level up. */
  upwardTitles: ReadonlyMap<string, string>;
  previous?: { round: Round; responses: readonly Response[] };
  /** Check-in reflections per teacher and goal (reflectionKey of her id and `<dialogueId>:<n>`). */
  reflections: ReadonlyMap<string, number>;
}

export function emptyDistribution(): Distribution {
  return [0, 0, 0, 0, 0];
}

export function statsOf(values: readonly number[]): Stats {
  const distribution = emptyDistribution();
  for (const value of values) distribution[value - 1]!++;
  if (values.length === 0) return { distribution, count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { distribution, count: values.length, mean: Math.round(mean * 10) / 10, median };
}

/** Progress values of confirmed answers per goal of the målsamtal (and per goal one level up). */
function progressByGoal(
  round: Round,
  responses: readonly Response[],
  goals: AnalysisInput['goals'],
): { byGoal: Map<string, number[]>; byUpward: Map<string, number[]> } {
  const serves = new Map(goals.map((goal) => [goal.id, goal.serves]));
  const byGoal = new Map<string, number[]>(goals.map((goal) => [goal.id, []]));
  const byUpward = new Map<string, number[]>();
  for (const participant of round.participants) {
    for (const goal of participant.goals) {
      const response = responses.find((r) => r.aadObjectId === participant.aadObjectId && r.goalNumber === goal.number && r.status === 'confirmed');
      if (response?.progress === undefined) continue;
      // A teacher goal counts once under each goal above it, however many of its school goals serve the same one.
      const upward = new Set<string>();
      for (const schoolGoalId of goal.schoolGoalIds) {
        byGoal.get(schoolGoalId)?.push(response.progress);
        for (const id of serves.get(schoolGoalId) ?? []) upward.add(id);
      }
      for (const id of upward) byUpward.set(id, [...(byUpward.get(id) ?? []), response.progress]);
    }
  }
  return { byGoal, byUpward };
}

export function analyseRound(input: AnalysisInput): RoundAnalysis {
  const { round, responses, goals } = input;
  const now = progressByGoal(round, responses, goals);
  const before = input.previous ? progressByGoal(input.previous.round, input.previous.responses, goals) : undefined;
  const confirmed = responses.filter((r) => r.status === 'confirmed');
  const byNumber = new Map(round.participants.map((p) => [p.aadObjectId, new Map(p.goals.map((g) => [g.number, g.schoolGoalIds]))]));
  const servesGoal = (response: Response, goalId: string) => byNumber.get(response.aadObjectId)?.get(response.goalNumber)?.includes(goalId) ?? false;
  const analysedGoals: GoalAnalysis[] = goals.map((goal) => {
    const answers = confirmed.filter((r) => servesGoal(r, goal.id)).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    let reflections = 0;
    for (const participant of round.participants) {
      for (const own of participant.goals) {
        if (own.schoolGoalIds.includes(goal.id))
          reflections += input.reflections.get(reflectionKey(participant.aadObjectId, reflectionGoalId(round.dialogueId, own.number))) ?? 0;
      }
    }
    const previous = before && statsOf(before.byGoal.get(goal.id) ?? []);
    return {
      id: goal.id,
      title: goal.title,
      stats: statsOf(now.byGoal.get(goal.id) ?? []),
      ...(previous && previous.count > 0 ? { previous } : {}),
      worked: answers.filter((r) => r.worked).map((r) => ({ name: r.name, text: r.worked })),
      next: answers.filter((r) => r.next).map((r) => ({ name: r.name, text: r.next })),
      evidence: answers
        .filter((r) => r.evidence || r.evidenceValue !== undefined)
        .map((r) => ({ name: r.name, text: r.evidence, ...(r.evidenceValue !== undefined ? { value: r.evidenceValue } : {}), unit: r.evidenceUnit })),
      support: answers.filter((r) => r.support).map((r) => ({ name: r.name, text: r.support })),
      reflections,
    };
  });
  const upwardIds = [...new Set(goals.flatMap((goal) => goal.serves))];
  const upward: RollupLine[] = upwardIds.map((id) => {
    const previous = before && statsOf(before.byUpward.get(id) ?? []);
    return {
      id,
      title: input.upwardTitles.get(id) ?? id,
      stats: statsOf(now.byUpward.get(id) ?? []),
      ...(previous && previous.count > 0 ? { previous } : {}),
    };
  });
  const notAnswered = round.participants
    .filter((p) => !isDone(p, responses))
    .map((p) => p.name)
    .sort((a, b) => a.localeCompare(b, 'sv'));
  return {
    roundId: round.id,
    answered: round.participants.length - notAnswered.length,
    total: round.participants.length,
    notAnswered,
    goals: analysedGoals,
    upward,
  };
}

/** One school's latest round in the manager's rollup. */
export interface SchoolRollup {
  schoolId: string;
  schoolName: string;
  roundTitle: string;
  answered: number;
  total: number;
  stats: Stats;
  previous?: Stats;
}

/**
 * The manager's view: per school its latest round's progress over all its
 * goals, and per overarching goal the progress pooled over every school's
 * goals that serve it (each school's analysis `upward`).
 */
export function rollUp(
  schools: readonly { schoolId: string; schoolName: string; roundTitle: string; analysis: RoundAnalysis; values: number[]; previousValues?: number[] }[],
  overarching: ReadonlyMap<string, string>,
): { schools: SchoolRollup[]; overarching: RollupLine[] } {
  const lines: SchoolRollup[] = schools.map((school) => {
    const previous = school.previousValues && school.previousValues.length > 0 ? statsOf(school.previousValues) : undefined;
    return {
      schoolId: school.schoolId,
      schoolName: school.schoolName,
      roundTitle: school.roundTitle,
      answered: school.analysis.answered,
      total: school.analysis.total,
      stats: statsOf(school.values),
      ...(previous ? { previous } : {}),
    };
  });
  const pooled = new Map<string, { now: Distribution; before: Distribution }>();
  for (const school of schools) {
    for (const line of school.analysis.upward) {
      const entry = pooled.get(line.id) ?? { now: emptyDistribution(), before: emptyDistribution() };
      line.stats.distribution.forEach((n, i) => (entry.now[i]! += n));
      line.previous?.distribution.forEach((n, i) => (entry.before[i]! += n));
      pooled.set(line.id, entry);
    }
  }
  const overarchingLines: RollupLine[] = [...overarching].flatMap(([id, title]) => {
    const entry = pooled.get(id);
    if (!entry) return [];
    const previous = statsOf(valuesOf(entry.before));
    return [{ id, title, stats: statsOf(valuesOf(entry.now)), ...(previous.count > 0 ? { previous } : {}) }];
  });
  return { schools: lines, overarching: overarchingLines };
}

/** The progress values a distribution counts. */
export function valuesOf(distribution: Distribution): number[] {
  return distribution.flatMap((n, i) => Array.from({ length: n }, () => i + 1));
}

/** Every confirmed progress value of a round (each teacher goal once). */
export function roundValues(round: Round, responses: readonly Response[]): number[] {
  return round.participants.flatMap((p) =>
    p.goals.flatMap((goal) => {
      const response = responses.find((r) => r.aadObjectId === p.aadObjectId && r.goalNumber === goal.number && r.status === 'confirmed');
      return response?.progress !== undefined ? [response.progress] : [];
    }),
  );
}
