import { z } from 'zod';
import { AppError } from './errors';
import { retryOnStale } from './optimistic';
import type { Actor, Organisation, School } from './organisation';
import { MAX_PROCESS_STEPS } from './organisationSchema';
import type { SchoolGoal, SchoolGoalRepository } from './schoolGoals';

/**
 * A school's fokusområde (what the principal and the staff chose to work on
 * for a period, and why; seed 000) and its processkarta (the preventive and
 * remedial routines as steps: what happens, who does it, when, with whom
 * from elevhälsa; seed 003). Both start from the organisation file and are
 * then kept from Teams by the principal. Every save is a new version of the
 * whole fokusområde or processkarta; a save made from a card that showed an
 * older version is refused (STALE) and changes nothing.
 */

export { MAX_PROCESS_STEPS };

/** The longest text of each field, the organisation file's limits where it has them. */
export const FOCUS_LIMITS = { title: 200, period: 100, why: 2000, what: 500, who: 200, when: 200, withWhom: 200 } as const;

export const focusAreaSchema = z.object({
  title: z.string(),
  period: z.string().default(''),
  why: z.string().default(''),
  /** The school goals the fokusområde serves, by id. */
  goalIds: z.array(z.string()).default([]),
});
export type FocusArea = z.infer<typeof focusAreaSchema>;

export const processStepSchema = z.object({ what: z.string(), who: z.string(), when: z.string(), withWhom: z.string().default('') });
export type ProcessStep = z.infer<typeof processStepSchema>;

export const processMapSchema = z.array(processStepSchema).max(MAX_PROCESS_STEPS);

export interface SchoolFocusValues {
  focusArea: FocusArea;
  processMap: ProcessStep[];
}
export type SchoolFocusKind = keyof SchoolFocusValues;

export const SCHOOL_FOCUS_SCHEMAS: { [K in SchoolFocusKind]: z.ZodType<SchoolFocusValues[K], z.ZodTypeDef, unknown> } = {
  focusArea: focusAreaSchema,
  processMap: processMapSchema,
};

/** One version of a school's fokusområde or processkarta. */
export interface SchoolFocusVersion<K extends SchoolFocusKind = SchoolFocusKind> {
  schoolId: string;
  kind: K;
  value: SchoolFocusValues[K];
  /** 1 for the first; each save adds one. */
  version: number;
  updatedAt: string;
  /** The AAD object id of who saved it, or "organisation file". */
  updatedBy: string;
}

export interface SchoolFocusRepository {
  current<K extends SchoolFocusKind>(schoolId: string, kind: K): Promise<SchoolFocusVersion<K> | undefined>;
  /** Stores `entry` as the current version and in the history, at once; STALE when `expectedVersion` (0: none yet) is not the current one. */
  saveVersion<K extends SchoolFocusKind>(entry: SchoolFocusVersion<K>, expectedVersion: number): Promise<void>;
  /** Every version, oldest first. */
  history<K extends SchoolFocusKind>(schoolId: string, kind: K): Promise<SchoolFocusVersion<K>[]>;
  /** Stores the entries whose school has none of that kind yet; never overwrites what was saved in Teams. */
  seed(entries: SchoolFocusVersion[]): Promise<void>;
}

export const FROM_ORGANISATION_FILE = 'organisation file';

/** The organisation file's fokusområden and processkartor, as the first version of each. */
export function focusFromOrganisation(organisation: Organisation, at: Date): SchoolFocusVersion[] {
  const first = { version: 1, updatedAt: at.toISOString(), updatedBy: FROM_ORGANISATION_FILE };
  return organisation.file.schools.flatMap((school): SchoolFocusVersion[] => {
    const entries: SchoolFocusVersion[] = [];
    const focus = school.focusArea;
    if (focus) {
      const value = { title: focus.title, period: focus.period ?? '', why: focus.why ?? '', goalIds: focus.goals };
      entries.push({ schoolId: school.id, kind: 'focusArea', value, ...first });
    }
    if (school.processMap.length > 0) {
      const value = school.processMap.map((step) => ({ what: step.what, who: step.who, when: step.when, withWhom: step.withWhom ?? '' }));
      entries.push({ schoolId: school.id, kind: 'processMap', value, ...first });
    }
    return entries;
  });
}

// --- Forms ---

export type FieldProblem = 'required' | 'tooLong' | 'unknownGoal';
export type FocusAreaField = 'title' | 'period' | 'why' | 'goals';
export type StepField = 'what' | 'who' | 'when' | 'withWhom';

/** A card value as text: a crafted object or array is nothing. */
const cardText = z.unknown().transform((value) => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : ''));
const field = (max: number, required: boolean) =>
  cardText.pipe(
    z
      .string()
      .min(required ? 1 : 0, 'required')
      .max(max, 'tooLong'),
  );
const idList = cardText.transform((value) => [
  ...new Set(
    value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  ),
]);

export const focusAreaFormSchema = z.object({
  title: field(FOCUS_LIMITS.title, true),
  period: field(FOCUS_LIMITS.period, false),
  why: field(FOCUS_LIMITS.why, false),
  goals: idList,
});

export const processStepFormSchema = z.object({
  what: field(FOCUS_LIMITS.what, true),
  who: field(FOCUS_LIMITS.who, true),
  when: field(FOCUS_LIMITS.when, true),
  withWhom: field(FOCUS_LIMITS.withWhom, false),
});

/** What was typed, as typed (trimmed), so that a refused form comes back with it. */
function typed<F extends string>(data: Record<string, unknown>, fields: readonly F[]): Record<F, string> {
  return Object.fromEntries(fields.map((name) => [name, cardText.parse(data[name])])) as Record<F, string>;
}

/** Each field's first problem, from a failed parse. */
function problemsOf<F extends string>(error: z.ZodError): Partial<Record<F, FieldProblem>> {
  const problems: Partial<Record<F, FieldProblem>> = {};
  for (const issue of error.issues) {
    const name = issue.path[0] as F;
    problems[name] ??= issue.message === 'tooLong' ? 'tooLong' : 'required';
  }
  return problems;
}

export type FormResult<V, F extends string> = { ok: true; value: V } | { ok: false; problems: Partial<Record<F, FieldProblem>>; typed: Record<F, string> };

/** The fokusområde form: linked goals must be among the school's active goals. */
export function readFocusAreaForm(data: Record<string, unknown>, activeGoals: readonly SchoolGoal[]): FormResult<FocusArea, FocusAreaField> {
  const fields = ['title', 'period', 'why', 'goals'] as const;
  const parsed = focusAreaFormSchema.safeParse(data);
  const problems: Partial<Record<FocusAreaField, FieldProblem>> = parsed.success ? {} : problemsOf(parsed.error);
  const active = new Set(activeGoals.map((goal) => goal.id));
  if (parsed.success && parsed.data.goals.some((id) => !active.has(id))) problems.goals = 'unknownGoal';
  if (!parsed.success || Object.keys(problems).length > 0) return { ok: false, problems, typed: typed(data, fields) };
  const { title, period, why, goals } = parsed.data;
  return { ok: true, value: { title, period, why, goalIds: goals } };
}

export function readProcessStepForm(data: Record<string, unknown>): FormResult<ProcessStep, StepField> {
  const parsed = processStepFormSchema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: problemsOf(parsed.error), typed: typed(data, ['what', 'who', 'when', 'withWhom'] as const) };
}

/** A change to the processkarta from its editor; `index` counts from 0. */
export type ProcessMapChange =
  { kind: 'save'; index?: number; data: Record<string, unknown> } | { kind: 'remove'; index: number } | { kind: 'moveUp'; index: number };

// --- The use cases ---

/** The fokusområde as the teachers' invitation and summary carry it. */
export interface FocusLine {
  title: string;
  why: string;
}

export class SchoolFocusService {
  constructor(
    private readonly organisation: Organisation,
    private readonly focus: SchoolFocusRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    private readonly now: () => Date,
  ) {}

  /** The school whose staff team this is; anyone in the team may read its fokusområde and processkarta. */
  schoolOfTeam(team: { teamId?: string; aadGroupId?: string }): School {
    if (!team.teamId && !team.aadGroupId) throw new AppError('INVALID_INPUT', 'not in a team', { reason: 'notInTeam' });
    const school = this.organisation.schoolByTeam(team);
    if (!school) throw new AppError('NOT_FOUND', 'team is not a school', { reason: 'unknownSchool' });
    return school;
  }

  school(schoolId: string): School {
    const school = this.organisation.schoolById(schoolId);
    if (!school) throw new AppError('NOT_FOUND', 'no such school');
    return school;
  }

  /** The principal of the school, or an organisation admin. */
  mayEdit(school: School, actor: Actor): boolean {
    return this.organisation.mayManage(school, actor);
  }

  /** The school, when the actor may edit it; NOT_ALLOWED otherwise. */
  editable(schoolId: string, actor: Actor, kind: SchoolFocusKind): School {
    const school = this.school(schoolId);
    if (!this.mayEdit(school, actor))
      throw new AppError('NOT_ALLOWED', 'not the principal', { action: kind === 'focusArea' ? 'editFocusArea' : 'editProcessMap' });
    return school;
  }

  /** The fokusområde (undefined before one is set) with the school's goals, to name the linked ones. */
  async focusArea(school: School): Promise<{ focus?: SchoolFocusVersion<'focusArea'>; goals: SchoolGoal[] }> {
    const [focus, goals] = await Promise.all([this.focus.current(school.id, 'focusArea'), this.schoolGoals.list(school.id)]);
    return { focus, goals };
  }

  async processMap(school: School): Promise<SchoolFocusVersion<'processMap'> | undefined> {
    return this.focus.current(school.id, 'processMap');
  }

  /** What a goal dialogue started now carries of the fokusområde; undefined when the school has none. */
  async focusLine(schoolId: string): Promise<FocusLine | undefined> {
    const focus = await this.focus.current(schoolId, 'focusArea');
    return focus ? { title: focus.value.title, why: focus.value.why } : undefined;
  }

  /** Saves the fokusområde form as a new version; the problems instead when the form is bad (nothing saved). */
  async saveFocusArea(
    schoolId: string,
    actor: Actor,
    data: Record<string, unknown>,
    expectedVersion: number,
  ): Promise<{ saved: SchoolFocusVersion<'focusArea'> } | Extract<FormResult<FocusArea, FocusAreaField>, { ok: false }>> {
    const school = this.editable(schoolId, actor, 'focusArea');
    const active = (await this.schoolGoals.list(school.id)).filter((goal) => goal.status === 'active');
    const form = readFocusAreaForm(data, active);
    if (!form.ok) return form;
    return { saved: await this.save(school, actor, 'focusArea', form.value, expectedVersion) };
  }

  /** One change to the processkarta as a new version; the problems instead when a step form is bad (nothing saved). */
  async changeProcessMap(
    schoolId: string,
    actor: Actor,
    change: ProcessMapChange,
    expectedVersion: number,
  ): Promise<{ saved: SchoolFocusVersion<'processMap'> } | Extract<FormResult<ProcessStep, StepField>, { ok: false }>> {
    const school = this.editable(schoolId, actor, 'processMap');
    const current = await this.focus.current(school.id, 'processMap');
    // A card that showed another version points at steps that may have moved.
    if ((current?.version ?? 0) !== expectedVersion) throw new AppError('STALE', 'the processkarta changed since the card was shown');
    const steps = [...(current?.value ?? [])];
    const within = (index: number) => {
      if (!Number.isInteger(index) || index < 0 || index >= steps.length) throw new AppError('INVALID_INPUT', 'no such step');
    };
    if (change.kind === 'save') {
      const form = readProcessStepForm(change.data);
      if (!form.ok) return form;
      if (change.index === undefined) {
        if (steps.length >= MAX_PROCESS_STEPS) throw new AppError('INVALID_INPUT', 'too many steps', { reason: 'tooManySteps' });
        steps.push(form.value);
      } else {
        within(change.index);
        steps[change.index] = form.value;
      }
    } else if (change.kind === 'remove') {
      within(change.index);
      steps.splice(change.index, 1);
    } else {
      within(change.index);
      if (change.index === 0) throw new AppError('INVALID_INPUT', 'the first step cannot move up');
      [steps[change.index - 1], steps[change.index]] = [steps[change.index]!, steps[change.index - 1]!];
    }
    return { saved: await this.save(school, actor, 'processMap', steps, expectedVersion) };
  }

  /**
   * The fokusområde a principal proposed in the målsamtal with the managers
   * becomes the school's: a new version unless it reads as the current one.
   * Who may is decided by the cascade (the manager's approval, or the
   * principal's own confirmation where principals own their school goals),
   * not here. True when a version was saved.
   */
  async adoptFocusArea(schoolId: string, value: FocusArea, by: string): Promise<boolean> {
    const school = this.school(schoolId);
    return retryOnStale('fokusområde', async () => {
      const current = await this.focus.current(school.id, 'focusArea');
      if (current && sameFocus(current.value, value)) return false;
      await this.save(school, { aadObjectId: by }, 'focusArea', value, current?.version ?? 0);
      return true;
    });
  }

  /** Every version of the school's fokusområde or processkarta, oldest first. */
  history<K extends SchoolFocusKind>(schoolId: string, kind: K): Promise<SchoolFocusVersion<K>[]> {
    return this.focus.history(schoolId, kind);
  }

  private async save<K extends SchoolFocusKind>(
    school: School,
    actor: Actor,
    kind: K,
    value: SchoolFocusValues[K],
    expectedVersion: number,
  ): Promise<SchoolFocusVersion<K>> {
    const entry: SchoolFocusVersion<K> = {
      schoolId: school.id,
      kind,
      value,
      version: expectedVersion + 1,
      updatedAt: this.now().toISOString(),
      updatedBy: actor.aadObjectId ?? actor.upn ?? 'unknown',
    };
    await this.focus.saveVersion(entry, expectedVersion);
    return entry;
  }
}

function sameFocus(a: FocusArea, b: FocusArea): boolean {
  return a.title === b.title && a.period === b.period && a.why === b.why && [...a.goalIds].sort().join() === [...b.goalIds].sort().join();
}
