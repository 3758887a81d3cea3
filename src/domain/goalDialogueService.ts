import { localDateOf } from '../time';
import { AppError, isAppError } from './errors';
import {
  advance,
  type Dialogue,
  type FlowInput,
  type FlowResult,
  type GoalStep,
  type Participation,
  participantState,
  type ParticipantState,
} from './goalDialogue';
import { isOlderCard } from './goalDialogueForms';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import { newDialogueId, type StartInput, type StartProblem } from './goalDialogueStart';
import { changeStored, retryOnStale, type Stored } from './optimistic';
import { GoalStepMemory, StepAhead, withActivity } from './goalStepAhead';
import { proposalOf } from './cascadeFocus';
import { type GoalChainService, overarchingAsUnitGoals } from './goalChain';
import { type Actor, dialogueLevel, isOrganisationUnit, type Organisation, type School } from './organisation';
import type { SchoolClock } from './schoolClock';
import type { SchoolGoal, SchoolGoalRepository } from './schoolGoals';
import type { FocusLine } from './schoolFocus';

export { defaultDialogueTitle, type DialogueTerm, newDialogueId, startInputSchema, type StartInput, type StartProblem } from './goalDialogueStart';

/** A member of a team as the roster gives it. */
export interface Member {
  aadObjectId: string;
  userId: string;
  name: string;
  givenName?: string;
  upn?: string;
}

export interface ChannelRef {
  tenantId: string;
  conversationId: string;
  serviceUrl: string;
  teamId?: string;
  aadGroupId?: string;
  botId?: string;
  language?: 'sv' | 'en';
  /** The status card's activity, when it is known before the dialogue is created (the start form it replaces). */
  statusActivityId?: string;
  /** The thread the principal started it in, and the start form there (where the status card goes if the channel refuses a new post). */
  thread?: { conversationId: string; formActivityId?: string };
}

/** What follows from a change: messages and scheduled work (implemented in src/effects/goalDialogues.ts). */
export interface GoalDialogueEffects {
  /**
   * The dialogue is created and its status card shown: in the background,
   * and durably (a crash finishes it after the restart, once), the
   * participations are created, one invitation per participant goes into
   * the outbox, and the reminders are planned. Returns as soon as that work
   * is recorded, whatever the team's size.
   */
  dialogueStarted(dialogue: Dialogue): Promise<void>;
  /** A teacher's progress changed: refresh the channel's status card (coalesced). */
  progressChanged(dialogue: Dialogue): Promise<void>;
  /** A teacher confirmed goals: the principal hears of it (batched). */
  goalsConfirmed(dialogue: Dialogue, participation: Participation): Promise<void>;
}

/** Who could not be reached with the dialogue's invitation, and why (from the outbox). */
export interface DialogueDelivery {
  /** Teacher's Entra id → reason ('not-installed', 'blocked', 'not-found', 'other'). */
  unreachable(dialogue: Dialogue): Promise<Map<string, string>>;
}

/** Reads the active pointer once for a turn (memoised by the caller). */
export type ActivePointer = () => Promise<string | undefined>;

export interface TeacherActOptions {
  /** The goal and step the submitted card was made for. */
  cardStep?: { goalIndex: number; step: GoalStep };
  /** The turn's reading of the teacher's active pointer. */
  active?: ActivePointer;
  /** Set for a card action: the version of the goals the card was made with, if it names one (isOlderCard). */
  fromCard?: { version?: number };
  /**
   * The activity that asks for the move (its id in the teacher's 1:1 chat):
   * the save records it, whatever the move, and that save is the activity's
   * claim; an activity recorded already comes back `redelivered`.
   */
  activityId?: string;
  /** The participation as read with the dialogue (teacherStep): the first try starts from it. */
  read?: Stored<Participation>;
  /** The move saved ahead for this turn (stepAhead): the first try, when it is this move in this dialogue. */
  ahead?: StepAhead;
}

/**
 * A move made (or not, `changed` false), or a card made for a step the
 * teacher has left (`stale`, nothing changed), or an activity that took
 * effect before (`redelivered`: nothing changed, nothing to answer).
 */
export type TeacherActResult =
  | (FlowResult & { dialogue: Dialogue; stale: false; redelivered?: undefined })
  | { stale: true; participation: Participation; dialogue: Dialogue; redelivered?: true };

/** A teacher's dialogue with her participation in it, read side by side (none yet while the start job creates them). */
export interface TeacherStep {
  dialogue: Dialogue;
  participation?: Stored<Participation>;
}

/**
 * A teacher's step read ahead (stepAhead): the dialogue she was writing in
 * when this instance last saw her, read before her pointer is known, with
 * her move saved ahead (`saved`) or else her goals read. A step uses it
 * only when the pointer names that dialogue.
 */
export interface ReadAhead {
  dialogueId: string;
  step: Promise<TeacherStep | undefined>;
  saved?: StepAhead;
}

/**
 * How long a teacher's confirmed goals, as a check-in offers them, are kept
 * in memory: confirming on this instance forgets them at once; a
 * confirmation on another instance shows after this long at most.
 */
const GOAL_CHOICES_KEPT_MS = 5 * 60_000;
const MAX_GOAL_CHOICES_KEPT = 10_000;

export class GoalDialogueService {
  private readonly goalChoices = new Map<string, { goals: { id: string; text: string }[]; at: number }>();
  /** Per teacher: her goals as saved at her last step here, for her next (goalStepAhead.ts); her pointer and the dialogue decide. */
  private readonly stepMemory = new GoalStepMemory();

  constructor(
    private readonly organisation: Organisation,
    private readonly dialogues: GoalDialogueRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    private readonly effects: GoalDialogueEffects,
    private readonly clock: SchoolClock,
    /** Turns a principal's confirmed goals into the school's, where the organisation lets principals own them. */
    private readonly chain?: GoalChainService,
    /** The school's fokusområde, which a dialogue carries from its start; without it, dialogues carry none. */
    private readonly focusAreas?: { focusLine(schoolId: string): Promise<FocusLine | undefined> },
  ) {}

  /** The school whose staff team the channel belongs to; only its principal (or an admin) may go on. */
  schoolForManagement(channel: Pick<ChannelRef, 'teamId' | 'aadGroupId'>, actor: Actor): School {
    if (!channel.teamId && !channel.aadGroupId) throw new AppError('INVALID_INPUT', 'not in a team', { reason: 'notInTeam' });
    // A school's staff team, or the principals' team (the organisation level, where managers hold målsamtal with the principals).
    const school = this.organisation.unitByTeam({ teamId: channel.teamId, aadGroupId: channel.aadGroupId });
    if (!school) throw new AppError('NOT_FOUND', 'team is not a school', { reason: 'unknownSchool' });
    if (!this.organisation.mayManage(school, actor)) throw new AppError('NOT_ALLOWED', 'not a principal', { action: 'start', level: levelOf(school) });
    return school;
  }

  /** The goals a dialogue of the unit offers: a school's active goals; at the organisation level the overarching goals. */
  async activeGoals(schoolId: string): Promise<SchoolGoal[]> {
    if (isOrganisationUnit(schoolId)) return overarchingAsUnitGoals(this.organisation);
    return (await this.schoolGoals.list(schoolId)).filter((goal) => goal.status === 'active');
  }

  /** Checks a start form; returns the problems (empty when it may start). */
  validateStart(input: StartInput, goals: SchoolGoal[], members: Member[]): StartProblem[] {
    const problems: StartProblem[] = [];
    if (!input.title.trim() || input.title.length > 100) problems.push('title');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.deadline) || input.deadline <= localDateOf(this.clock.now(), this.clock.timeZone)) problems.push('deadline');
    const known = new Set(goals.map((goal) => goal.id));
    if (input.goalIds.length === 0 || input.goalIds.some((id) => !known.has(id))) problems.push('goals');
    if (members.length === 0) problems.push('noMembers');
    else if (this.participants(input, members).length === 0) problems.push('participants');
    return problems;
  }

  private participants(input: StartInput, members: Member[]): Member[] {
    if (input.participantMode === 'everyone') return members;
    const chosen = new Set(input.participantIds);
    return members.filter((member) => chosen.has(member.aadObjectId));
  }

  /**
   * Creates the dialogue after validation; `members` is the team's roster
   * without the principal. Returns the problems instead when there are any,
   * and then nothing is created. Only the dialogue itself is written here:
   * its participations follow in the background (statusCardPosted), so the
   * principal's submit costs the same for a team of 5 or 1,000.
   */
  async startDialogue(
    school: School,
    principal: Member,
    channel: ChannelRef,
    input: StartInput,
    members: Member[],
    formId?: string,
  ): Promise<{ dialogue: Dialogue; existing?: true } | { problems: StartProblem[] }> {
    // A form that became a dialogue already (submitted twice): that dialogue, and nothing created again.
    const existing = formId ? await this.dialogueOfForm(school, channel.tenantId, formId) : undefined;
    if (existing) return { dialogue: existing, existing: true };
    const goals = await this.activeGoals(school.id);
    const problems = this.validateStart(input, goals, members);
    if (problems.length > 0) return { problems };
    const now = this.clock.now();
    const focusArea = await this.focusAreas?.focusLine(school.id);
    const chosenGoals = goals.filter((goal) => input.goalIds.includes(goal.id));
    const participants = this.participants(input, members).map(({ aadObjectId, userId, name, givenName }) => ({
      aadObjectId,
      userId,
      name,
      ...(givenName ? { givenName } : {}),
    }));
    const dialogue: Dialogue = {
      id: formId ?? newDialogueId(now),
      tenantId: channel.tenantId,
      schoolId: school.id,
      title: input.title.trim(),
      ...(input.term ? { term: input.term } : {}),
      schoolGoals: chosenGoals.map(({ id, title, serves }) => ({ id, title, serves })),
      ...(focusArea ? { focusArea } : {}),
      deadline: input.deadline,
      participants,
      reminders: { enabled: input.reminders, daysBefore: input.reminders ? [7, 2] : [] },
      principal: { aadObjectId: principal.aadObjectId, userId: principal.userId, name: principal.name },
      channel: {
        conversationId: channel.conversationId,
        serviceUrl: channel.serviceUrl,
        ...(channel.botId ? { botId: channel.botId } : {}),
        ...(channel.language ? { language: channel.language } : {}),
        ...(channel.statusActivityId ? { statusActivityId: channel.statusActivityId } : {}),
        ...(channel.thread ? { thread: channel.thread } : {}),
      },
      status: 'open',
      createdAt: now.toISOString(),
      // The läsår of its start date; started in the summer break, the coming one (decided in goalDialogueYears.ts).
      schoolYearId: this.organisation.schoolYearOn(localDateOf(now, this.clock.timeZone)).id,
    };
    try {
      await this.dialogues.createDialogue(dialogue, []);
    } catch (error) {
      // The same form submitted twice at the same moment: the other submission created it.
      const created = formId && isAppError(error, 'CONFLICT') ? await this.dialogueOfForm(school, channel.tenantId, formId) : undefined;
      if (!created) throw error;
      return { dialogue: created, existing: true };
    }
    return { dialogue };
  }

  /** The dialogue a start form created, if any; a form id naming another school's dialogue was not sent by this school's form. */
  private async dialogueOfForm(school: School, tenantId: string, formId: string): Promise<Dialogue | undefined> {
    const dialogue = (await this.dialogues.getDialogue(tenantId, formId))?.value;
    if (dialogue && dialogue.schoolId !== school.id) throw new AppError('INVALID_INPUT', "the form id names another school's dialogue");
    return dialogue;
  }

  /**
   * After the status card is posted: remember where it is (unless the
   * dialogue was created knowing it), then let the effects run.
   */
  async statusCardPosted(dialogue: Dialogue, activityId: string): Promise<Dialogue> {
    const updated =
      dialogue.channel.statusActivityId === activityId
        ? dialogue
        : await this.updateDialogue(dialogue.tenantId, dialogue.id, (d) => {
            d.channel.statusActivityId = activityId;
          });
    await this.effects.dialogueStarted(updated);
    return updated;
  }

  /**
   * Started without a status card: the effects post it as a new post in
   * the channel (in the background, so the submit answers at once), then
   * go on as after statusCardPosted.
   */
  async startedWithoutCard(dialogue: Dialogue): Promise<void> {
    await this.effects.dialogueStarted(dialogue);
  }

  private updateDialogue(tenantId: string, dialogueId: string, change: (dialogue: Dialogue) => void): Promise<Dialogue> {
    return changeStored(
      'dialogue',
      () => this.dialogues.getDialogue(tenantId, dialogueId),
      (dialogue, eTag) => this.dialogues.saveDialogue(dialogue, eTag),
      change,
    );
  }

  /**
   * The dialogue a teacher's words go to: the given one, else the active one, else the newest open one.
   * `active` is the turn's one reading of the active pointer (read here when not given).
   */
  async teacherDialogue(tenantId: string, aadObjectId: string, dialogueId?: string, active?: ActivePointer): Promise<Dialogue | undefined> {
    const id = await this.teacherDialogueId(tenantId, aadObjectId, dialogueId, active);
    if (!id) return undefined;
    const dialogue = (await this.dialogues.getDialogue(tenantId, id))?.value;
    // Only a participant may act on a dialogue, whatever a card submission claims.
    if (!dialogue || !dialogue.participants.some((person) => person.aadObjectId === aadObjectId)) return undefined;
    return dialogue;
  }

  private async teacherDialogueId(tenantId: string, aadObjectId: string, dialogueId?: string, active?: ActivePointer): Promise<string | undefined> {
    return (
      dialogueId ??
      (await (active ?? (() => this.dialogues.activeDialogueOf(tenantId, aadObjectId)))()) ??
      (await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId)).find((summary) => summary.status === 'open')?.dialogueId
    );
  }

  /**
   * Like teacherDialogue, with her participation read side by side with the
   * dialogue (one round trip instead of two, on a teacher's every step).
   * `readAhead`: what the turn started reading before it knew the dialogue,
   * used when it is the dialogue found.
   */
  async teacherStep(
    tenantId: string,
    aadObjectId: string,
    where: { dialogueId?: string; active?: ActivePointer; readAhead?: ReadAhead } = {},
  ): Promise<TeacherStep | undefined> {
    const id = await this.teacherDialogueId(tenantId, aadObjectId, where.dialogueId, where.active);
    if (!id) return undefined;
    if (where.readAhead?.dialogueId === id) return where.readAhead.step;
    return this.readStep(tenantId, aadObjectId, id, this.dialogues.getParticipation(id, aadObjectId));
  }

  /**
   * Starts the teacher's step in the dialogue she was writing in at her
   * last step on this instance, while her pointer is read: `move` (typed
   * text's answer or a step command) is saved ahead under the ETag of her
   * goals as saved then, side by side with the read of the dialogue, so
   * that the step waits for one round trip, not two (goalStepAhead.ts
   * says why that is safe); without a move, or for an activity recorded
   * already, her goals are read instead. Undefined when this instance has
   * not seen her write; a dialogue that turns out not to be the pointer's
   * costs its reads and the undoing of the save.
   */
  stepAhead(tenantId: string, aadObjectId: string, move?: { input: FlowInput; activityId: string }): ReadAhead | undefined {
    const remembered = this.stepMemory.recall(tenantId, aadObjectId);
    if (!remembered) return undefined;
    const dialogueId = remembered.dialogue.id;
    const handled = move && remembered.participation.value.handledActivities?.includes(move.activityId);
    const participation = !move || handled ? this.dialogues.getParticipation(dialogueId, aadObjectId) : Promise.resolve(undefined);
    const step = this.readStep(tenantId, aadObjectId, dialogueId, participation);
    // Used or not: a failed read here is read again (or reported) by the step itself.
    step.catch(() => undefined);
    if (!move || handled) return { dialogueId, step };
    const saved = new StepAhead(move.input, move.activityId, this.dialogues, this.stepMemory, remembered, this.clock.now(), this.clock.timeZone);
    return { dialogueId, step, saved };
  }

  /** The dialogue read side by side with `reading` (her participation, or nothing when her move is saved ahead). */
  private async readStep(
    tenantId: string,
    aadObjectId: string,
    id: string,
    reading: Promise<Stored<Participation> | undefined>,
  ): Promise<TeacherStep | undefined> {
    const [stored, participation] = await Promise.all([this.dialogues.getDialogue(tenantId, id), reading]);
    const dialogue = stored?.value;
    // Only a participant may act on a dialogue, whatever a card submission claims.
    if (!dialogue || !dialogue.participants.some((person) => person.aadObjectId === aadObjectId)) return undefined;
    return { dialogue, participation };
  }

  /**
   * The dialogue whose goals the teacher is writing now, if any: her typed
   * text is an answer to it. The active pointer is kept exactly while she
   * writes: set by every move that leaves her writing, cleared by pause,
   * cancel and confirm.
   */
  activeDialogueOf(tenantId: string, aadObjectId: string): Promise<string | undefined> {
    return this.dialogues.activeDialogueOf(tenantId, aadObjectId);
  }

  /**
   * One move of a teacher in their own goals. The participation is keyed by
   * the acting teacher's own id, never by anything the card sent.
   *
   * `options.cardStep`: the step the card was made for. It is checked
   * against the stored participation inside the retry, so that a card
   * delivered twice, or two answers at the same moment, apply once: the
   * other finds the participation moved on and comes back `stale`, with
   * nothing changed. `options.active`: the turn's reading of the active
   * pointer, which is written only when the move changes it.
   *
   * `options.activityId`: the participation's save is the activity's claim
   * (once.ts). It is saved with the activity recorded even when the move
   * changes nothing else (a refused answer, a card from another step), so
   * that a redelivery, or the same activity delivered twice at once, finds
   * it (at once, or on the retry after the other's save) and comes back
   * `redelivered`. The save comes before the active pointer's write, so a
   * redelivery that no longer finds her writing still finds the activity
   * among her participations (handledActivity).
   *
   * `options.ahead`: the move saved ahead for this turn (stepAhead), taken
   * as the first try when it is this move in this dialogue and the dialogue
   * as read now gives the same move; otherwise it is undone and the move is
   * read and saved as above (goalStepAhead.ts). A move that takes her
   * pointer from another dialogue touches her goals there, so that another
   * instance's memory of them fails its save ahead at once.
   */
  async teacherAct(dialogue: Dialogue, aadObjectId: string, input: FlowInput, options: TeacherActOptions = {}): Promise<TeacherActResult> {
    const { cardStep, fromCard, activityId } = options;
    let read = options.read;
    const ahead = await options.ahead?.take(dialogue, input, this.clock.timeZone);
    // Another turn of the same teacher may save first: the move is then applied to what it saved.
    const attempt = ahead
      ? { stale: false as const, stored: ahead.before, result: ahead.result, now: ahead.now, saved: ahead.saved }
      : await retryOnStale('goals', async () => {
          const stored = read ?? (await this.dialogues.getParticipation(dialogue.id, aadObjectId));
          read = undefined;
          if (!stored) throw new AppError('NOT_FOUND', 'no participation');
          if (activityId && stored.value.handledActivities?.includes(activityId)) {
            return { stale: true as const, redelivered: true as const, participation: stored.value };
          }
          const otherStep = cardStep && (stored.value.cursor.goalIndex !== cardStep.goalIndex || stored.value.cursor.step !== cardStep.step);
          if (otherStep || (fromCard && isOlderCard(stored.value, fromCard.version))) {
            if (activityId) await this.dialogues.saveParticipation(withActivity(stored.value, activityId), stored.eTag);
            return { stale: true as const, participation: stored.value };
          }
          const now = this.clock.now();
          const result = advance(dialogue, stored.value, input, now, this.clock.timeZone);
          const value = withActivity(result.participation, activityId);
          const saved = result.changed || activityId ? { value, eTag: await this.dialogues.saveParticipation(value, stored.eTag) } : undefined;
          return { stale: false as const, stored, result, now, saved };
        });
    if (attempt.stale) {
      // Her goals as this instance remembers them may be older than these: forgotten.
      this.stepMemory.forget(dialogue.tenantId, aadObjectId);
      const redelivered = 'redelivered' in attempt ? { redelivered: true as const } : {};
      return { stale: true, participation: attempt.participation, dialogue, ...redelivered };
    }
    const { stored, result, now, saved } = attempt;
    if (!result.changed) {
      this.stepMemory.forget(dialogue.tenantId, aadObjectId);
      return { ...result, dialogue, stale: false };
    }
    const stillWriting = !result.participation.paused && result.reply.kind !== 'confirmed';
    const pointer = stillWriting ? dialogue.id : undefined;
    const active = await (options.active ?? (() => this.dialogues.activeDialogueOf(dialogue.tenantId, aadObjectId)))();
    if (pointer !== active) {
      await this.dialogues.setActiveDialogue(dialogue.tenantId, aadObjectId, pointer);
      // What another instance remembers of the goals her pointer left is saved ahead no more (goalStepAhead.ts).
      if (active && active !== dialogue.id) await this.touchGoals(active, aadObjectId);
    }
    if (pointer && saved && dialogue.status === 'open') this.stepMemory.remember(dialogue, saved);
    else this.stepMemory.forget(dialogue.tenantId, aadObjectId);
    if (result.confirmed) {
      this.goalChoices.delete(`${dialogue.tenantId}|${aadObjectId}`);
      const p = result.participation;
      await this.dialogues.saveVersion(dialogue.id, aadObjectId, {
        version: p.versions,
        confirmedAt: p.confirmedAt ?? now.toISOString(),
        late: p.late,
        goals: p.goals,
      });
      await this.chain?.adoptOnConfirm(dialogue, aadObjectId, p.goals, proposalOf(p));
      await this.effects.goalsConfirmed(dialogue, p);
    }
    if (result.confirmed || stored.value.status !== result.participation.status) await this.effects.progressChanged(dialogue);
    return { ...result, dialogue, stale: false };
  }

  /** Saves her goals in a dialogue unchanged, so that their ETag changes. */
  private async touchGoals(dialogueId: string, aadObjectId: string): Promise<void> {
    try {
      await changeStored(
        'goals',
        () => this.dialogues.getParticipation(dialogueId, aadObjectId),
        async (value, eTag) => {
          await this.dialogues.saveParticipation(value, eTag);
        },
        () => undefined,
      );
    } catch (error) {
      if (!isAppError(error, 'NOT_FOUND')) throw error;
    }
  }

  async participation(dialogue: Dialogue, aadObjectId: string): Promise<Participation | undefined> {
    return (await this.dialogues.getParticipation(dialogue.id, aadObjectId))?.value;
  }

  async teacherDialogues(tenantId: string, aadObjectId: string): Promise<{ dialogue: Dialogue; participation: Participation }[]> {
    const summaries = await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId);
    const rows = await Promise.all(
      summaries.map(async (summary) => {
        const dialogue = (await this.dialogues.getDialogue(tenantId, summary.dialogueId))?.value;
        const participation = dialogue && (await this.participation(dialogue, aadObjectId));
        return dialogue && participation ? { dialogue, participation } : undefined;
      }),
    );
    return rows.filter((row): row is { dialogue: Dialogue; participation: Participation } => row !== undefined);
  }

  /**
   * A teacher's confirmed goals across their dialogues, for linking other
   * work (a check-in answer) to them: id = dialogue id and goal number.
   */
  async confirmedGoals(tenantId: string, aadObjectId: string): Promise<{ id: string; text: string }[]> {
    // Kept for a while: a member answering a check-in would otherwise read every dialogue of theirs on each answer.
    const key = `${tenantId}|${aadObjectId}`;
    const now = this.clock.now().getTime();
    const cached = this.goalChoices.get(key);
    if (cached && now - cached.at < GOAL_CHOICES_KEPT_MS) return cached.goals;
    const goals = await this.readConfirmedGoals(tenantId, aadObjectId);
    this.goalChoices.delete(key);
    this.goalChoices.set(key, { goals, at: now });
    if (this.goalChoices.size > MAX_GOAL_CHOICES_KEPT) this.goalChoices.delete(this.goalChoices.keys().next().value!);
    return goals;
  }

  private async readConfirmedGoals(tenantId: string, aadObjectId: string): Promise<{ id: string; text: string }[]> {
    const rows = await this.teacherDialogues(tenantId, aadObjectId);
    return rows
      .filter(({ participation }) => participation.status === 'done')
      .flatMap(({ dialogue, participation }) =>
        participation.goals.map((goal, index) => ({ id: `${dialogue.id}:${index + 1}`, text: `${dialogue.title}: ${goal.goal ?? ''}`.slice(0, 120) })),
      );
  }

  /** Dialogues of every school the actor may manage, newest first. */
  async principalDialogues(tenantId: string, actor: Actor): Promise<Dialogue[]> {
    const schools = this.organisation.unitsManagedBy(actor);
    const summaries = (await Promise.all(schools.map((school) => this.dialogues.dialoguesOfSchool(tenantId, school.id)))).flat();
    summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const dialogues = await Promise.all(summaries.map((summary) => this.dialogues.getDialogue(tenantId, summary.dialogueId)));
    return dialogues.flatMap((stored) => (stored ? [stored.value] : []));
  }

  /** The dialogue, if the actor may manage its school. */
  async managedDialogue(tenantId: string, dialogueId: string, actor: Actor): Promise<Dialogue> {
    const dialogue = (await this.dialogues.getDialogue(tenantId, dialogueId))?.value;
    if (!dialogue) throw new AppError('NOT_FOUND', 'no such dialogue');
    const school = this.organisation.unitById(dialogue.schoolId);
    if (!school || !this.organisation.mayManage(school, actor))
      throw new AppError('NOT_ALLOWED', 'not the principal', { action: 'manage', level: levelOf(school) });
    return dialogue;
  }

  async participantStates(
    dialogue: Dialogue,
    unreachable: ReadonlyMap<string, string>,
  ): Promise<{ person: Dialogue['participants'][number]; state: ParticipantState }[]> {
    const participations = new Map((await this.dialogues.participations(dialogue)).map((p) => [p.aadObjectId, p]));
    return dialogue.participants.map((person) => ({
      person,
      state: participantState(participations.get(person.aadObjectId), !unreachable.has(person.aadObjectId)),
    }));
  }

  async teacherGoalsForPrincipal(tenantId: string, dialogueId: string, teacherAad: string, actor: Actor) {
    const dialogue = await this.managedDialogue(tenantId, dialogueId, actor);
    const participation = await this.participation(dialogue, teacherAad);
    if (!participation) throw new AppError('NOT_FOUND', 'not a participant');
    const [latest] = participation.versions > 0 ? await this.dialogues.versions(dialogue.id, teacherAad, participation.versions).then((v) => v.slice(-1)) : [];
    const notes = await this.dialogues.getNotes(dialogue.id, teacherAad);
    return { dialogue, participation, confirmed: latest, notes };
  }

  async saveTalkNotes(tenantId: string, dialogueId: string, teacherAad: string, actor: Actor, notes: string, talkHeldOn: string | undefined) {
    const dialogue = await this.managedDialogue(tenantId, dialogueId, actor);
    if (!dialogue.participants.some((person) => person.aadObjectId === teacherAad)) throw new AppError('NOT_FOUND', 'not a participant');
    await this.dialogues.saveNotes(dialogue.id, teacherAad, { notes, talkHeldOn, updatedAt: this.clock.now().toISOString() });
    return dialogue;
  }
}

const levelOf = (unit: School | undefined) => (unit ? dialogueLevel({ schoolId: unit.id }) : 'school');
