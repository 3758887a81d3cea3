import { AppError } from './errors';
import {
  type Answer,
  type AnswerProblem,
  type CheckIn,
  checkInView,
  type CheckInView,
  goalsNamed,
  type Group,
  parseCheckInId,
  validateAnswer,
  withHandledActivity,
} from './learningGroup';
import { authorizeCheckIn, type GroupAccess } from './learningGroupAccess';
import { knownUnit, UNIT_FIELD, unitOfNewAnswer } from './learningGroupNetwork';
import type { LearningGroupRepository } from './learningGroupRepository';
import { changeStored, retryOnStale, type Stored } from './optimistic';
import type { SchoolClock } from './schoolClock';

/** What follows a saved answer outside the turn (part of LearningGroupEffects). */
export interface AnswerEffects {
  /** Answers changed: refresh the group's card (coalesced). */
  answersChanged(checkIn: CheckIn): Promise<void>;
}

export type AnswerResult =
  | { view: CheckInView; answer: Answer }
  | { view: CheckInView; problems: AnswerProblem[] }
  | { view: CheckInView; closed: true }
  /** The activity saved this answer before (delivered again): nothing is saved or said again. */
  | { view: CheckInView; redelivered: true };

/**
 * A member's answer to a check-in, in one write (README, performance).
 *
 * The turn reads the check-in, its group and its answers side by side, and
 * saves her answer row under the ETag it was read with (or creates it when
 * she had none). That save is everything the answer stores:
 *
 * - It is the activity's claim (once.ts): the row keeps the ids of the
 *   latest activities that saved it. The same activity delivered again
 *   finds its id there and does nothing; two deliveries at once save under
 *   the same ETag, one wins, the other reads again and finds the id. A
 *   turn that ends without saving (bad input, a closed check-in) claims
 *   the ordinary way.
 * - It never loses an update: two instances saving her answer at once
 *   both read, one saves, the other gets STALE and does it again on what
 *   the first saved (an edit replaces an answer, so the later one stands,
 *   with both activities recorded).
 * - Its goals (Answer.goalIds) are the learning group's reflections on
 *   them, which the follow-up's analysis counts from the answer rows: no
 *   second row to write, or to lose between two writes.
 *
 * What follows the save is done again by a redelivery, which finds its id
 * and saves nothing: the card's refresh is planned (a second refresh is
 * harmless) and a unit picked in the answer is remembered on the group. So
 * a turn that fails after its save (storage gone for a while) loses
 * nothing when Teams delivers it again.
 */
export class CheckInAnswers {
  constructor(
    private readonly groups: LearningGroupRepository,
    private readonly effects: AnswerEffects,
    private readonly clock: SchoolClock,
  ) {}

  /**
   * A member's answer. One per person: an edit replaces it. Bad input comes
   * back as problems and nothing is stored; a closed check-in takes no answers.
   * `activityId` is recorded with it (the activity's claim).
   */
  async answer(
    access: GroupAccess,
    id: string,
    input: Record<string, unknown>,
    via: Answer['via'],
    goalIds: ReadonlySet<string>,
    activityId: string | undefined,
  ): Promise<AnswerResult> {
    // Only the read and the save are done again when another save came first; what follows it, once.
    const { result, picked } = await retryOnStale('answer', () => this.readAndSave(access, id, input, via, goalIds, activityId));
    if (!('answer' in result) && !('redelivered' in result)) return result;
    const group = await this.afterSave(result.view, access.person.aadObjectId, picked);
    return group === result.view.group ? result : { ...result, view: checkInView(group, result.view.checkIn, result.view.answers) };
  }

  /** True when `activityId` saved her answer to the check-in (a redelivery of a turn that answered). */
  async answeredBy(tenantId: string, id: string, aadObjectId: string, activityId: string): Promise<boolean> {
    return (await this.groups.getAnswer(tenantId, id, aadObjectId))?.handledActivities?.includes(activityId) ?? false;
  }

  /** Her answer saved (or found saved by this activity before), with the unit she picked in it to remember. */
  private async readAndSave(
    access: GroupAccess,
    id: string,
    input: Record<string, unknown>,
    via: Answer['via'],
    goalIds: ReadonlySet<string>,
    activityId: string | undefined,
  ): Promise<{ result: AnswerResult; picked?: string }> {
    const { tenantId, person: actor } = access;
    const { view, stored } = await this.read(tenantId, id);
    authorizeCheckIn(view, access, 'answer');
    const earlier = stored.find((s) => s.value.aadObjectId === actor.aadObjectId);
    if (activityId && earlier?.value.handledActivities?.includes(activityId)) {
      const said = earlier.value.values[UNIT_FIELD];
      const picked = typeof said === 'string' && !knownUnit(view.group, view.checkIn, actor.aadObjectId) ? said : undefined;
      return { result: { view, redelivered: true }, ...(picked ? { picked } : {}) };
    }
    // Closed by its job, or past its closing time while the job has not run yet.
    if (view.checkIn.status === 'closed' || Date.parse(view.checkIn.closesAt) <= this.clock.now().getTime()) return { result: { view, closed: true } };
    const checked = validateAnswer(view.checkIn.questions, input, goalIds);
    const unit = unitOfNewAnswer(view, actor.aadObjectId, input);
    if ('problems' in checked || unit.problem)
      return { result: { view, problems: [...(unit.problem ? [unit.problem] : []), ...('problems' in checked ? checked.problems : [])] } };
    const values = unit.id ? { ...checked.values, [UNIT_FIELD]: unit.id } : checked.values;
    const now = this.clock.now().toISOString();
    const member = view.checkIn.members.find((m) => m.aadObjectId === actor.aadObjectId)!;
    const named = goalsNamed(view.checkIn.questions, values);
    const answer: Answer = withHandledActivity(
      {
        checkInId: id,
        aadObjectId: actor.aadObjectId,
        name: member.name,
        values,
        answeredAt: earlier?.value.answeredAt ?? now,
        updatedAt: now,
        via,
        ...(named.length > 0 ? { goalIds: named } : {}),
      },
      earlier?.value,
      activityId,
    );
    await this.groups.saveAnswer(tenantId, answer, earlier?.eTag);
    const answers = [...view.answers.filter((a) => a.aadObjectId !== actor.aadObjectId), answer];
    return { result: { view: checkInView(view.group, view.checkIn, answers), answer }, ...(unit.picked ? { picked: unit.picked } : {}) };
  }

  /** The check-in, its group and its answers with their ETags, read side by side. */
  private async read(tenantId: string, id: string): Promise<{ view: CheckInView; stored: Stored<Answer>[] }> {
    const groupId = parseCheckInId(id)?.groupId;
    const [checkIn, named, stored] = await Promise.all([
      this.groups.getCheckIn(tenantId, id),
      groupId ? this.groups.getGroup(tenantId, groupId) : undefined,
      this.groups.storedAnswers(tenantId, id),
    ]);
    if (!checkIn) throw new AppError('NOT_FOUND', 'no such check-in');
    const group = named?.value.id === checkIn.value.groupId ? named : await this.groups.getGroup(tenantId, checkIn.value.groupId);
    if (!group) throw new AppError('NOT_FOUND', 'no such group');
    return {
      view: checkInView(
        group.value,
        checkIn.value,
        stored.map((s) => s.value),
      ),
      stored,
    };
  }

  /** What follows a saved answer (again, for a redelivery): the unit she picked kept on the group, and the card's refresh. */
  private async afterSave(view: CheckInView, aadObjectId: string, picked: string | undefined): Promise<Group> {
    const group = picked ? await this.rememberUnit(view.group, aadObjectId, picked) : view.group;
    await this.effects.answersChanged(view.checkIn);
    return group;
  }

  /** A member picked their unit in a check-in: the group keeps it, so later check-ins do not ask again. */
  private rememberUnit(group: Group, aadObjectId: string, unit: string): Promise<Group> {
    return changeStored(
      'group',
      () => this.groups.getGroup(group.tenantId, group.id),
      (value, eTag) => this.groups.saveGroup(value, eTag),
      (value) => {
        const member = value.members.find((m) => m.aadObjectId === aadObjectId);
        if (member && !member.unit) member.unit = unit;
      },
    );
  }
}
