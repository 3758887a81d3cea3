import type { Organisation } from './organisation';

/**
 * A school's goals as the principal keeps them: seeded from the
 * organisation file, then added to, edited and retired from Teams. Every
 * change is a new version; dialogues keep the goals as they read when the
 * dialogue started, and link to them by id, so old links keep working.
 */
export interface SchoolGoal {
  schoolId: string;
  id: string;
  title: string;
  serves: string[];
  status: 'active' | 'retired';
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface SchoolGoalRepository {
  list(schoolId: string): Promise<SchoolGoal[]>;
  /** Stores a new version; fails with STALE when `expectedVersion` is not the current one. */
  saveVersion(goal: SchoolGoal, expectedVersion: number): Promise<void>;
  history(schoolId: string, goalId: string): Promise<SchoolGoal[]>;
  /** Adds the file's goals that are not stored yet; never overwrites an edit made in Teams. */
  seed(goals: SchoolGoal[]): Promise<void>;
}

export function goalsFromOrganisation(organisation: Organisation, at: Date): SchoolGoal[] {
  return organisation.file.schools.flatMap((school) =>
    school.goals.map((goal) => ({
      schoolId: school.id,
      id: goal.id,
      title: goal.title,
      serves: goal.serves,
      status: 'active' as const,
      version: 1,
      updatedAt: at.toISOString(),
      updatedBy: 'organisation file',
    })),
  );
}
