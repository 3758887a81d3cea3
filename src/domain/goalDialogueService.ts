import { localDateOf } from '../time';
import { AppError, isAppError } from './errors';
import { type Dialogue, type Participation, participantState, type ParticipantState } from './goalDialogue';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import { newDialogueId, type StartInput, type StartProblem } from './goalDialogueStart';
import { GoalDialogueSteps } from './goalDialogueSteps';
import { dialogueSchoolYearId } from './goalDialogueYears';
import { changeStored } from './optimistic';
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

/**
 * The goal dialogue's use cases: the principal's start and reads here, the
 * teacher's steps inherited from GoalDialogueSteps (goalDialogueSteps.ts).
 */
export class GoalDialogueService extends GoalDialogueSteps {
  constructor(
    private readonly organisation: Organisation,
    dialogues: GoalDialogueRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    effects: GoalDialogueEffects,
    clock: SchoolClock,
    /** Turns a principal's confirmed goals into the school's, where the organisation lets principals own them. */
    chain?: GoalChainService,
    /** The school's fokusområde, which a dialogue carries from its start; without it, dialogues carry none. */
    private readonly focusAreas?: { focusLine(schoolId: string): Promise<FocusLine | undefined> },
  ) {
    super(dialogues, effects, clock, chain);
  }

  protected override ofCurrentSchoolYear(dialogue: Dialogue): boolean {
    const today = localDateOf(this.clock.now(), this.clock.timeZone);
    return dialogueSchoolYearId(this.organisation, dialogue, this.clock.timeZone) === this.organisation.schoolYearOn(today).id;
  }

  /**
   * The school whose staff team the channel belongs to; only its principal (or an admin) may go on.
   * `action` is what the refusal names: starting a dialogue, or changing the school's goals.
   */
  schoolForManagement(channel: Pick<ChannelRef, 'teamId' | 'aadGroupId'>, actor: Actor, action: 'start' | 'editGoals' = 'start'): School {
    if (!channel.teamId && !channel.aadGroupId) throw new AppError('INVALID_INPUT', 'not in a team', { reason: 'notInTeam' });
    // A school's staff team, or the principals' team (the organisation level, where managers hold målsamtal with the principals).
    const school = this.organisation.unitByTeam({ teamId: channel.teamId, aadGroupId: channel.aadGroupId });
    if (!school) throw new AppError('NOT_FOUND', 'team is not a school', { reason: 'unknownSchool' });
    if (!this.organisation.mayManage(school, actor)) throw new AppError('NOT_ALLOWED', 'not a principal', { action, level: levelOf(school) });
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
