import type { SchoolAnalysis } from './followUp';

/**
 * The schools' written analyses side by side for the manager's rollup: per
 * overarching goal, each school whose goals serve it, with the latest
 * version of its principal's analysis (what the results show, why, what the
 * school will do) of each such goal. A school that has written none yet is
 * listed without one, so the manager sees who is missing. Pure: the
 * rollup (followUpRecord.ts) gathers the schools' goals and analyses.
 */

export interface WrittenAnalysis {
  goalId: string;
  goalTitle: string;
  shows: string;
  why: string;
  actions: string;
  version: number;
  writtenAt: string;
}

export interface SchoolWritten {
  schoolId: string;
  schoolName: string;
  /** Empty: the school has written no analysis of a goal serving this one yet. */
  analyses: WrittenAnalysis[];
}

export interface OverarchingWritten {
  id: string;
  title: string;
  schools: SchoolWritten[];
}

export interface SchoolGoalsWritten {
  schoolId: string;
  schoolName: string;
  /** The goals of the school's latest round's målsamtal, with the overarching goals each serves. */
  goals: readonly { id: string; title: string; serves: readonly string[] }[];
  /** The newest version of the school's analysis per goal id. */
  written: ReadonlyMap<string, SchoolAnalysis>;
}

/** Per overarching goal (in the organisation's order) that any school's goal serves: each such school and its written analyses. */
export function writtenPerOverarching(schools: readonly SchoolGoalsWritten[], overarching: ReadonlyMap<string, string>): OverarchingWritten[] {
  return [...overarching].flatMap(([id, title]) => {
    const serving = schools.flatMap((school) => {
      const goals = school.goals.filter((goal) => goal.serves.includes(id));
      if (goals.length === 0) return [];
      const analyses = goals.flatMap((goal) => {
        const entry = school.written.get(goal.id);
        if (!entry) return [];
        const { shows, why, actions, version, writtenAt } = entry;
        return [{ goalId: goal.id, goalTitle: goal.title, shows, why, actions, version, writtenAt }];
      });
      return [{ schoolId: school.schoolId, schoolName: school.schoolName, analyses }];
    });
    return serving.length > 0 ? [{ id, title, schools: serving }] : [];
  });
}

/** Whether any school has written anything: else there is nothing to show side by side. */
export function anyWritten(lines: readonly OverarchingWritten[]): boolean {
  return lines.some((line) => line.schools.some((school) => school.analyses.length > 0));
}
