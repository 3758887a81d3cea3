import { AppError, isAppError } from './errors';
import type { Actor, Organisation, School } from './organisation';

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
  /** The framework's HOWs for school leadership the goal makes concrete. */
  hows?: string[];
  /** The development areas the goal belongs to. */
  areas?: string[];
  /** The principal's goal in a målsamtal with the managers that became this school goal. */
  origin?: SchoolGoalOrigin;
  status: 'active' | 'retired';
  /** Where the goal stands in the school's list (the file's order; added goals last). */
  position: number;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface SchoolGoalOrigin {
  dialogueId: string;
  /** The principal who wrote it. */
  aadObjectId: string;
  /** Its place among the principal's goals, from 0. */
  goalIndex: number;
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
    school.goals.map((goal, position) => ({
      schoolId: school.id,
      id: goal.id,
      title: goal.title,
      serves: goal.serves,
      ...(goal.hows.length > 0 ? { hows: goal.hows } : {}),
      ...(goal.areas.length > 0 ? { areas: goal.areas } : {}),
      status: 'active' as const,
      position,
      version: 1,
      updatedAt: at.toISOString(),
      updatedBy: 'organisation file',
    })),
  );
}

export type GoalEditProblem = 'title' | 'serves';

/** Principal-only changes to a school's goals; every change is a new version. */
export class SchoolGoalService {
  constructor(
    private readonly organisation: Organisation,
    private readonly goals: SchoolGoalRepository,
    private readonly now: () => Date,
  ) {}

  private school(schoolId: string, actor: Actor): School {
    const school = this.organisation.schoolById(schoolId);
    if (!school) throw new AppError('NOT_FOUND', 'no such school');
    if (!this.organisation.mayManage(school, actor)) throw new AppError('NOT_ALLOWED', 'not the principal', { action: 'editGoals' });
    return school;
  }

  async list(schoolId: string, actor: Actor): Promise<{ school: School; goals: SchoolGoal[] }> {
    const school = this.school(schoolId, actor);
    return { school, goals: await this.goals.list(school.id) };
  }

  /** Adds a goal (no `goalId`) or saves a new version of one; returns problems instead when the input is bad. */
  async save(
    schoolId: string,
    actor: Actor,
    change: { goalId?: string; title: string; serves: string[]; expectedVersion: number },
  ): Promise<{ goal: SchoolGoal } | { problem: GoalEditProblem }> {
    const school = this.school(schoolId, actor);
    const title = change.title.trim();
    if (title.length < 3 || title.length > 200) return { problem: 'title' };
    const overarching = new Set(this.organisation.file.organisation.overarchingGoals.map((goal) => goal.id));
    if (change.serves.length === 0 || change.serves.some((id) => !overarching.has(id))) return { problem: 'serves' };
    const existing = await this.goals.list(school.id);
    const current = change.goalId ? existing.find((goal) => goal.id === change.goalId) : undefined;
    if (change.goalId && !current) throw new AppError('NOT_FOUND', 'no such goal');
    const goal: SchoolGoal = {
      schoolId: school.id,
      id: current?.id ?? newGoalId(title, existing),
      title,
      serves: [...new Set(change.serves)],
      status: 'active',
      position: current?.position ?? Math.max(-1, ...existing.map((g) => g.position)) + 1,
      version: (current?.version ?? 0) + 1,
      updatedAt: this.now().toISOString(),
      updatedBy: actor.aadObjectId ?? actor.upn ?? 'unknown',
    };
    await this.goals.saveVersion(goal, current ? change.expectedVersion : 0);
    return { goal };
  }

  /** Retires a goal (after the principal confirmed it); a goal retired already stays as it is (a double click retires once). */
  async retire(schoolId: string, actor: Actor, goalId: string, expectedVersion: number): Promise<SchoolGoal> {
    const school = this.school(schoolId, actor);
    const current = (await this.goals.list(school.id)).find((goal) => goal.id === goalId);
    if (!current) throw new AppError('NOT_FOUND', 'no such goal');
    if (current.status === 'retired') return current;
    const retired: SchoolGoal = {
      ...current,
      status: 'retired',
      version: current.version + 1,
      updatedAt: this.now().toISOString(),
      updatedBy: actor.aadObjectId ?? actor.upn ?? 'unknown',
    };
    try {
      await this.goals.saveVersion(retired, expectedVersion);
    } catch (error) {
      // The same press at the same moment retired it first: that is this press's answer too.
      const now = isAppError(error, 'STALE') ? (await this.goals.list(school.id)).find((goal) => goal.id === goalId) : undefined;
      if (now?.status !== 'retired') throw error;
      return now;
    }
    return retired;
  }
}

function newGoalId(title: string, existing: SchoolGoal[]): string {
  const base =
    title
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'mal';
  const taken = new Set(existing.map((goal) => goal.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
