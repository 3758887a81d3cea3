import { adoptedGoalId, asksFocusArea, focusAreaOf, proposalOf, readCascadeFocusForm } from './cascadeFocus';
import { AppError } from './errors';
import type { Dialogue, FocusProposal, GoalDraft, Participation } from './goalDialogue';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import { changeStored, retryOnStale } from './optimistic';
import { type Actor, isOrganisationUnit, ORGANISATION_UNIT_ID, type Organisation, type School } from './organisation';
import type { FieldProblem, FocusAreaField, SchoolFocusService } from './schoolFocus';
import type { SchoolGoal, SchoolGoalRepository } from './schoolGoals';

/**
 * The cascade: a principal's goals from the målsamtal with the managers
 * become the goals of the school(s) they lead, which the principal's own
 * målsamtal with the teachers then offers. The link is kept on each school
 * goal (`origin`): the same goal adopted again is a new version of the same
 * school goal, never a second one, and a goal the principal removed is
 * retired.
 */

/** School goal titles are at most this long; a longer goal is cut at a word. */
const MAX_TITLE_CHARS = 200;

/** What follows from an approval (implemented in src/effects/goalDialogues.ts). */
export interface GoalChainEffects {
  /** A manager made a principal's goals the goals of these schools: the principal hears of it, once per `key`. */
  schoolGoalsAdopted(dialogue: Dialogue, principalAad: string, schoolIds: string[], key: string): Promise<void>;
}

export interface Adoption {
  schools: School[];
  /** The school goals as they are after the adoption, of every school. */
  goals: SchoolGoal[];
  /** Whether anything changed (false when the same goals were adopted before). */
  changed: boolean;
}

export class GoalChainService {
  constructor(
    private readonly organisation: Organisation,
    private readonly dialogues: GoalDialogueRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    private readonly effects: GoalChainEffects,
    private readonly now: () => Date,
    /** Makes a principal's proposed fokusområde the school's; without it, proposals stay on the participation. */
    private readonly focus?: Pick<SchoolFocusService, 'adoptFocusArea'>,
  ) {}

  /** Whether a principal's own confirmation makes their goals the school's (else the manager's approval does). */
  adoptsOnConfirm(dialogue: Dialogue): boolean {
    return isOrganisationUnit(dialogue.schoolId) && this.organisation.file.organisation.principalsOwnSchoolGoals;
  }

  /**
   * A principal confirmed goals in the principals' målsamtal: where the
   * organisation lets principals own their school goals, they become the
   * school's now. A principal the organisation file does not name as one
   * (by Entra id) has no school to adopt them; the confirmation stands.
   */
  async adoptOnConfirm(dialogue: Dialogue, principalAad: string, goals: readonly GoalDraft[], focus?: FocusProposal): Promise<void> {
    if (!this.adoptsOnConfirm(dialogue) || this.organisation.schoolsLedBy({ aadObjectId: principalAad }).length === 0) return;
    await this.adopt(dialogue, principalAad, goals, principalAad, focus);
  }

  /**
   * The principal answers the fokusområde in their own flow: a proposal
   * from the form (checked: title required, limits, goals among theirs), or
   * `keep` (the school's current one stays). Only the acting principal's own
   * participation in an open målsamtal with the principals changes.
   */
  async proposeFocusArea(
    tenantId: string,
    dialogueId: string,
    principalAad: string,
    answer: { keep: true } | { data: Record<string, unknown> },
  ): Promise<
    | { dialogue: Dialogue; participation: Participation }
    | { dialogue: Dialogue; participation: Participation; problems: Partial<Record<FocusAreaField, FieldProblem>>; typed: Record<FocusAreaField, string> }
  > {
    const dialogue = (await this.dialogues.getDialogue(tenantId, dialogueId))?.value;
    if (!dialogue || !asksFocusArea(dialogue) || !dialogue.participants.some((p) => p.aadObjectId === principalAad)) {
      throw new AppError('NOT_FOUND', 'not a participant of a dialogue with the principals');
    }
    if (dialogue.status === 'closed') throw new AppError('INVALID_INPUT', 'the dialogue is closed');
    const read = () => this.dialogues.getParticipation(dialogue.id, principalAad);
    const current = (await read())?.value;
    if (!current) throw new AppError('NOT_FOUND', 'no participation');
    const form = 'data' in answer ? readCascadeFocusForm(answer.data, current.goals.length) : undefined;
    if (form && !form.ok) return { dialogue, participation: current, problems: form.problems, typed: form.typed };
    const participation = await changeStored(
      'goals',
      read,
      async (value, eTag) => {
        await this.dialogues.saveParticipation(value, eTag);
      },
      (value) => {
        value.focusArea = form?.ok ? form.value : { kept: true };
        value.updatedAt = this.now().toISOString();
      },
    );
    return { dialogue, participation };
  }

  /**
   * The manager makes a principal's confirmed goals the goals of the
   * principal's school(s). Only the dialogue's managers (or admins) may, and
   * only confirmed goals can be adopted.
   */
  async approve(tenantId: string, dialogueId: string, principalAad: string, actor: Actor): Promise<Adoption> {
    const dialogue = (await this.dialogues.getDialogue(tenantId, dialogueId))?.value;
    if (!dialogue || !isOrganisationUnit(dialogue.schoolId)) throw new AppError('NOT_FOUND', 'no such dialogue with the principals');
    const unit = this.organisation.organisationUnit();
    if (!unit || !this.organisation.mayManage(unit, actor))
      throw new AppError('NOT_ALLOWED', 'not a manager', { action: 'approveGoals', level: 'organisation' });
    const participation = (await this.dialogues.getParticipation(dialogue.id, principalAad))?.value;
    if (!participation) throw new AppError('NOT_FOUND', 'not a participant');
    if (participation.status !== 'done') throw new AppError('INVALID_INPUT', 'the goals are not confirmed', { reason: 'notConfirmed' });
    const [latest] = await this.dialogues.versions(dialogue.id, principalAad, participation.versions).then((versions) => versions.slice(-1));
    const adoption = await this.adopt(
      dialogue,
      principalAad,
      latest?.goals ?? participation.goals,
      actor.aadObjectId ?? actor.upn ?? 'unknown',
      proposalOf(participation),
    );
    if (adoption.changed) {
      // The goals' versions name the approval: the same approval, delivered twice, tells the principal once.
      const key = adoption.goals
        .filter((goal) => goal.origin?.dialogueId === dialogue.id)
        .map((goal) => `${goal.id}.${goal.version}`)
        .join(',');
      await this.effects.schoolGoalsAdopted(
        dialogue,
        principalAad,
        adoption.schools.map((school) => school.id),
        key,
      );
    }
    return adoption;
  }

  /** The school goals a principal's goals in this dialogue became, by school. */
  async adoptedGoals(dialogue: Dialogue, principalAad: string): Promise<SchoolGoal[]> {
    const schools = this.organisation.schoolsLedBy({ aadObjectId: principalAad });
    const lists = await Promise.all(schools.map((school) => this.schoolGoals.list(school.id)));
    return lists.flat().filter((goal) => goal.origin?.dialogueId === dialogue.id && goal.origin.aadObjectId === principalAad);
  }

  /**
   * Writes the goals as school goals of every school the principal leads
   * (matched by Entra id: principals in the cascade need an aadObjectId in
   * the organisation file). Idempotent: run twice, it changes nothing.
   */
  async adopt(dialogue: Dialogue, principalAad: string, goals: readonly GoalDraft[], by: string, focus?: FocusProposal): Promise<Adoption> {
    const schools = this.organisation.schoolsLedBy({ aadObjectId: principalAad });
    if (schools.length === 0) throw new AppError('NOT_FOUND', 'the participant leads no school in the organisation file', { reason: 'noSchool' });
    let changed = false;
    const after: SchoolGoal[] = [];
    for (const school of schools) {
      const result = await retryOnStale('school goals', () => this.adoptAt(school, dialogue, principalAad, goals, by));
      changed ||= result.changed;
      after.push(...result.goals);
      // The proposed fokusområde becomes the school's too, linked to the school goals the principal's goals became.
      if (focus && this.focus) changed = (await this.focus.adoptFocusArea(school.id, focusAreaOf(dialogue.id, focus, goals), by)) || changed;
    }
    return { schools, goals: after, changed };
  }

  private async adoptAt(
    school: School,
    dialogue: Dialogue,
    principalAad: string,
    goals: readonly GoalDraft[],
    by: string,
  ): Promise<{ goals: SchoolGoal[]; changed: boolean }> {
    const existing = await this.schoolGoals.list(school.id);
    const fromHere = (goal: SchoolGoal) => goal.origin?.dialogueId === dialogue.id && goal.origin.aadObjectId === principalAad;
    let position = Math.max(-1, ...existing.map((goal) => goal.position));
    const at = this.now().toISOString();
    const writes: { goal: SchoolGoal; expected: number }[] = [];
    goals.forEach((draft, goalIndex) => {
      const current = existing.find((goal) => fromHere(goal) && goal.origin?.goalIndex === goalIndex);
      const wanted = this.schoolGoalOf(school, dialogue, principalAad, draft, goalIndex);
      if (current && current.status === 'active' && sameGoal(current, wanted)) return;
      writes.push({
        goal: {
          ...wanted,
          status: 'active',
          position: current?.position ?? ++position,
          version: (current?.version ?? 0) + 1,
          updatedAt: at,
          updatedBy: by,
        },
        expected: current?.version ?? 0,
      });
    });
    for (const gone of existing.filter((goal) => fromHere(goal) && goal.status === 'active' && (goal.origin?.goalIndex ?? 0) >= goals.length)) {
      writes.push({ goal: { ...gone, status: 'retired', version: gone.version + 1, updatedAt: at, updatedBy: by }, expected: gone.version });
    }
    for (const { goal, expected } of writes) await this.schoolGoals.saveVersion(goal, expected);
    const written = new Map(writes.map(({ goal }) => [goal.id, goal]));
    const merged = [...existing.map((goal) => written.get(goal.id) ?? goal), ...writes.filter(({ expected }) => expected === 0).map(({ goal }) => goal)];
    return { goals: merged, changed: writes.length > 0 };
  }

  private schoolGoalOf(
    school: School,
    dialogue: Dialogue,
    principalAad: string,
    draft: GoalDraft,
    goalIndex: number,
  ): Pick<SchoolGoal, 'schoolId' | 'id' | 'title' | 'serves' | 'hows' | 'origin'> {
    const serves = draft.schoolGoalIds.filter((id) => this.organisation.overarchingGoal(id) !== undefined);
    const items = new Set(serves.flatMap((id) => this.organisation.overarchingGoal(id)?.framework ?? []));
    const hows = (this.organisation.file.organisation.framework?.items ?? [])
      .filter((item) => items.has(item.id))
      .flatMap((item) => item.hows.leadership.map((how) => how.id));
    return {
      schoolId: school.id,
      id: adoptedGoalId(dialogue.id, goalIndex),
      title: titleOf(draft.goal ?? ''),
      serves,
      ...(hows.length > 0 ? { hows } : {}),
      origin: { dialogueId: dialogue.id, aadObjectId: principalAad, goalIndex },
    };
  }
}

function sameGoal(current: SchoolGoal, wanted: Pick<SchoolGoal, 'title' | 'serves' | 'hows'>): boolean {
  return current.title === wanted.title && current.serves.join() === wanted.serves.join() && (current.hows ?? []).join() === (wanted.hows ?? []).join();
}

/** A goal as a school goal's title: one line, at most MAX_TITLE_CHARS, cut at a word. */
export function titleOf(goal: string): string {
  const line = goal.replace(/\s+/g, ' ').trim();
  if (line.length <= MAX_TITLE_CHARS) return line;
  const cut = line.slice(0, MAX_TITLE_CHARS - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > MAX_TITLE_CHARS / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

/** The overarching goals in the shape of a unit's goals: what the principals' målsamtal offers, each serving its framework items. */
export function overarchingAsUnitGoals(organisation: Organisation): SchoolGoal[] {
  return organisation.overarchingGoals().map((goal, position) => ({
    schoolId: ORGANISATION_UNIT_ID,
    id: goal.id,
    title: goal.title,
    serves: goal.framework,
    status: 'active' as const,
    position,
    version: 1,
    updatedAt: '',
    updatedBy: 'organisation file',
  }));
}
