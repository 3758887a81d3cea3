import { mapBounded } from '../parallel';
import { addDays, localDateOf, localDateSchema } from '../time';
import { AppError, isAppError } from './errors';
import {
  checkResponse,
  hasOpened,
  MAX_ROUND_TITLE,
  reflectionKey,
  type Response,
  type ResponseForm,
  type ResponseProblem,
  type Round,
  type RoundForm,
  type RoundProblem,
  roundCounts,
  type SchoolAnalysis,
} from './followUp';
import { analyseRound, type RoundAnalysis } from './followUpAnalysis';
import type { FollowUpRepository, RoundSummary } from './followUpRepository';
import type { Dialogue } from './goalDialogue';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import type { DialogueTerm } from './goalDialogueStart';
import type { LearningGroupRepository } from './learningGroupRepository';
import { changeStored, retryOnStale } from './optimistic';
import { type Actor, dialogueLevel, type Organisation, type School } from './organisation';
import { resultDialogueChosen } from './resultDialogue';
import type { SchoolClock } from './schoolClock';

/** What follows from a round, outside the turn (src/effects/followUps.ts). */
export interface FollowUpEffects {
  /**
   * Plans the round's opening, at once or on its first day; the opening
   * (openRound) sends one card per goal to each participant, posts the
   * channel's status card and plans the reminders and the closing.
   */
  roundCreated(round: Round): Promise<void>;
  /** Someone confirmed: refresh the status card (coalesced). */
  progressChanged(round: Round): Promise<void>;
  /** The round closed: the owner gets the analysis in 1:1, the status card says closed. */
  roundClosed(round: Round): Promise<void>;
}

/** The owner who starts a round, as the roster gives her. */
export interface Owner {
  aadObjectId: string;
  userId: string;
  name: string;
}

/** A round with its målsamtal and the analysis, for the owner's card. */
export interface AnalysisView {
  round: Round;
  dialogue: Dialogue;
  analysis: RoundAnalysis;
  /** The school's analysis per goal for the läsår, the newest version of each. */
  written: Map<string, SchoolAnalysis>;
}

const ROUND_READS = 8;

/**
 * Follow-up rounds and their analysis: who may start, answer, close and
 * read. Every entry checks the actor against the organisation file (the
 * målsamtal's unit's principals; at the organisation level the managers)
 * or, for a teacher, against the round's participants by her own id.
 */
export class FollowUpService {
  constructor(
    private readonly organisation: Organisation,
    private readonly rounds: FollowUpRepository,
    private readonly dialogues: GoalDialogueRepository,
    private readonly effects: FollowUpEffects,
    private readonly clock: SchoolClock,
    /** The learning groups' answers that named goals: the reflections the analysis counts. */
    private readonly groupAnswers: Pick<LearningGroupRepository, 'reflections'>,
  ) {}

  // --- The owner ---

  /** The units whose målsamtal the actor may follow up: the channel's unit in a team channel, else every unit she manages. */
  managedUnits(actor: Actor, team?: { teamId?: string; aadGroupId?: string }): School[] {
    if (team && (team.teamId || team.aadGroupId)) {
      const unit = this.organisation.unitByTeam(team);
      if (!unit) throw new AppError('NOT_FOUND', 'team is not a school', { reason: 'unknownSchool' });
      if (!this.organisation.mayManage(unit, actor)) throw notOwner(unit);
      return [unit];
    }
    const units = this.organisation.unitsManagedBy(actor);
    if (units.length === 0) throw new AppError('NOT_ALLOWED', 'not an owner of any målsamtal', { action: 'followUp' });
    return units;
  }

  /** The målsamtal of the units, newest first: what a round can follow up. */
  async dialoguesOf(tenantId: string, units: School[]): Promise<Dialogue[]> {
    const summaries = (await Promise.all(units.map((unit) => this.dialogues.dialoguesOfSchool(tenantId, unit.id)))).flat();
    summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const read = await Promise.all(summaries.map((summary) => this.dialogues.getDialogue(tenantId, summary.dialogueId)));
    return read.flatMap((stored) => (stored ? [stored.value] : []));
  }

  /**
   * Creates a round from the owner's form (its id the form's, so a second
   * submission finds the first) and plans its opening; the problems instead,
   * and nothing created, when the form has any.
   */
  async startRound(
    tenantId: string,
    actor: Actor,
    owner: Owner,
    units: School[],
    form: RoundForm & { term?: DialogueTerm },
    roundId: string,
  ): Promise<{ round: Round; existing?: true } | { problems: RoundProblem[] }> {
    const found = (await this.rounds.getRound(tenantId, roundId))?.value;
    if (found) {
      if (!units.some((unit) => unit.id === found.schoolId)) throw new AppError('INVALID_INPUT', "the form id names another unit's round");
      return { round: found, existing: true };
    }
    const today = localDateOf(this.clock.now(), this.clock.timeZone);
    const dialogue = (await this.dialogues.getDialogue(tenantId, form.dialogueId))?.value;
    const problems: RoundProblem[] = [];
    const title = form.title.trim();
    if (!title || title.length > MAX_ROUND_TITLE) problems.push('title');
    if (!dialogue || !units.some((unit) => unit.id === dialogue.schoolId)) problems.push('dialogue');
    const startsOn = form.startsOn.trim();
    const startOk = startsOn === '' || (localDateSchema.safeParse(startsOn).success && startsOn >= today);
    if (!startOk) problems.push('startsOn');
    const first = startOk && startsOn > today ? startsOn : today;
    if (!localDateSchema.safeParse(form.lastDay).success || form.lastDay <= first) problems.push('lastDay');
    if (dialogue && problems.length === 0 && (await this.participantsOf(dialogue)).length === 0) problems.push('noGoals');
    if (problems.length > 0 || !dialogue) return { problems };
    // Owner rights were checked on the units; the målsamtal's own unit decides who owns the round.
    const unit = this.organisation.unitById(dialogue.schoolId);
    if (!unit || !this.organisation.mayManage(unit, actor)) throw notOwner(unit);
    const now = this.clock.now();
    const round: Round = {
      id: roundId,
      tenantId,
      dialogueId: dialogue.id,
      schoolId: dialogue.schoolId,
      schoolYear: this.organisation.schoolYearOn(first).id,
      title,
      ...(form.term ? { term: form.term } : {}),
      ...(startsOn > today ? { startsOn } : {}),
      lastDay: form.lastDay,
      reminders: form.reminders !== 'false',
      ...resultDialogueChosen(form, dialogue),
      status: 'planned',
      owner: { aadObjectId: owner.aadObjectId, userId: owner.userId, name: owner.name },
      participants: [],
      createdAt: now.toISOString(),
    };
    try {
      await this.rounds.createRound(round);
    } catch (error) {
      const created = isAppError(error, 'CONFLICT') ? (await this.rounds.getRound(tenantId, roundId))?.value : undefined;
      if (!created) throw error;
      return { round: created, existing: true };
    }
    await this.effects.roundCreated(round);
    return { round };
  }

  /**
   * Opens a planned round (its job): the participants are fixed from the
   * målsamtal as it is now (each who confirmed goals, with her goals'
   * numbers and school goals). Once: an open or closed round is left as it is.
   */
  async openRound(tenantId: string, roundId: string): Promise<Round | undefined> {
    const stored = await this.rounds.getRound(tenantId, roundId);
    if (!stored || stored.value.status !== 'planned') return stored?.value;
    const dialogue = (await this.dialogues.getDialogue(tenantId, stored.value.dialogueId))?.value;
    if (!dialogue) return undefined;
    const participants = await this.participantsOf(dialogue);
    const round = await changeStored(
      'round',
      () => this.rounds.getRound(tenantId, roundId),
      (value, eTag) => this.rounds.saveRound(value, eTag),
      (value) => {
        if (value.status !== 'planned') return;
        value.status = 'open';
        value.openedAt = this.clock.now().toISOString();
        value.participants = participants;
      },
    );
    return round;
  }

  private async participantsOf(dialogue: Dialogue): Promise<Round['participants']> {
    const participations = await this.dialogues.participations(dialogue);
    return participations
      .filter((p) => p.status === 'done' && p.goals.length > 0)
      .map((p) => ({
        aadObjectId: p.aadObjectId,
        userId: p.userId,
        name: p.name,
        goals: p.goals.map((goal, index) => ({ number: index + 1, schoolGoalIds: goal.schoolGoalIds })),
      }));
  }

  /** The round, if the actor owns its målsamtal (its unit's principal or an admin; a manager at the organisation level). */
  async ownedRound(tenantId: string, roundId: string, actor: Actor): Promise<Round> {
    const round = (await this.rounds.getRound(tenantId, roundId))?.value;
    if (!round) throw new AppError('NOT_FOUND', 'no such round');
    const unit = this.organisation.unitById(round.schoolId);
    if (!unit || !this.organisation.mayManage(unit, actor)) throw notOwner(unit);
    return round;
  }

  /** Closes the round (the owner's button, or its last day's job); `changed` false when it was closed already. */
  async closeRound(tenantId: string, roundId: string, actor?: Actor): Promise<{ round: Round; changed: boolean }> {
    if (actor) await this.ownedRound(tenantId, roundId, actor);
    let changed = false;
    const round = await changeStored(
      'round',
      () => this.rounds.getRound(tenantId, roundId),
      (value, eTag) => this.rounds.saveRound(value, eTag),
      (value) => {
        changed = value.status === 'open';
        if (!changed) return;
        value.status = 'closed';
        value.closedAt = this.clock.now().toISOString();
      },
    );
    if (changed) await this.effects.roundClosed(round);
    return { round, changed };
  }

  /** Every round of the units, newest first. */
  async roundsOfUnits(tenantId: string, units: School[]): Promise<RoundSummary[]> {
    const rows = (await Promise.all(units.map((unit) => this.rounds.roundsOfUnit(tenantId, unit.id)))).flat();
    return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The analysis of a round for its owner (or for the rollup, which checks the manager itself). */
  async analysis(tenantId: string, roundId: string, actor: Actor): Promise<AnalysisView> {
    return this.analyse(await this.ownedRound(tenantId, roundId, actor));
  }

  /** The analysis as the closing job sends it to the owner. */
  async analysisOf(tenantId: string, roundId: string): Promise<AnalysisView | undefined> {
    const round = (await this.rounds.getRound(tenantId, roundId))?.value;
    return round ? this.analyse(round) : undefined;
  }

  async analyse(round: Round): Promise<AnalysisView> {
    const { tenantId } = round;
    const dialogue = (await this.dialogues.getDialogue(tenantId, round.dialogueId))?.value;
    if (!dialogue) throw new AppError('NOT_FOUND', 'the round’s målsamtal is gone');
    const [responses, previous, reflections, written] = await Promise.all([
      this.rounds.responses(tenantId, round.id),
      this.previousRound(round),
      this.reflectionCounts(round, dialogue),
      this.currentSchoolAnalyses(tenantId, round.schoolId, round.schoolYear),
    ]);
    const analysis = analyseRound({
      round,
      responses,
      goals: dialogue.schoolGoals,
      upwardTitles: this.upwardTitles(round),
      ...(previous ? { previous } : {}),
      reflections,
    });
    return { round, dialogue, analysis, written };
  }

  /** The round before this one: of the same målsamtal, else of the same unit and läsår; only rounds that opened. */
  async previousRound(round: Round): Promise<{ round: Round; responses: Response[] } | undefined> {
    const earlier = (await this.rounds.roundsOfUnit(round.tenantId, round.schoolId))
      .filter((r) => r.roundId !== round.id && hasOpened(r) && r.createdAt < round.createdAt)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const chosen = earlier.find((r) => r.dialogueId === round.dialogueId) ?? earlier.find((r) => r.schoolYear === round.schoolYear);
    const previous = chosen && (await this.rounds.getRound(round.tenantId, chosen.roundId))?.value;
    return previous ? { round: previous, responses: await this.rounds.responses(round.tenantId, previous.id) } : undefined;
  }

  /** Per teacher of the round and goal of its målsamtal, the check-in answers that named it (none can before the målsamtal was created). */
  private async reflectionCounts(round: Round, dialogue: Dialogue): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const prefix = `${round.dialogueId}:`;
    const participants = new Set(round.participants.map((p) => p.aadObjectId));
    for (const reflection of await this.groupAnswers.reflections(round.tenantId, dialogue.createdAt)) {
      if (!participants.has(reflection.aadObjectId)) continue;
      for (const id of reflection.goalIds) {
        const key = reflectionKey(reflection.aadObjectId, id);
        if (id.startsWith(prefix)) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return counts;
  }

  /** The goals one level up: a school's overarching goals; at the organisation level the framework's WHATs. */
  private upwardTitles(round: Round): Map<string, string> {
    const { overarchingGoals, framework } = this.organisation.file.organisation;
    const level = dialogueLevel(round);
    return new Map((level === 'organisation' ? (framework?.items ?? []) : overarchingGoals).map((goal) => [goal.id, goal.title]));
  }

  // --- The school's written analysis ---

  async currentSchoolAnalyses(tenantId: string, schoolId: string, schoolYear: string): Promise<Map<string, SchoolAnalysis>> {
    const newest = new Map<string, SchoolAnalysis>();
    for (const entry of await this.rounds.schoolAnalyses(tenantId, schoolId, schoolYear)) {
      if ((newest.get(entry.goalId)?.version ?? 0) < entry.version) newest.set(entry.goalId, entry);
    }
    return newest;
  }

  // --- The teacher ---

  /** The rounds a teacher answers in (open, closed), newest first, with her answers: only her own. */
  async teacherRounds(tenantId: string, aadObjectId: string): Promise<{ round: Round; responses: Response[] }[]> {
    const summaries = (await this.rounds.roundsOfTeacher(tenantId, aadObjectId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const rows = await mapBounded(summaries, ROUND_READS, async (summary) => {
      const round = (await this.rounds.getRound(tenantId, summary.roundId))?.value;
      if (!round?.participants.some((p) => p.aadObjectId === aadObjectId)) return undefined;
      const responses = (await this.rounds.responses(tenantId, round.id)).filter((r) => r.aadObjectId === aadObjectId);
      return { round, responses };
    });
    return rows.filter((row): row is { round: Round; responses: Response[] } => row !== undefined);
  }

  /**
   * A teacher saves (or confirms) her answer on one of her goals. Keyed by
   * her own id: a card naming another teacher's goal finds no goal of hers.
   * A closed round changes nothing.
   */
  async respond(
    tenantId: string,
    teacher: { aadObjectId: string; name: string },
    form: ResponseForm,
    confirm: boolean,
  ): Promise<{ round: Round; response: Response } | { round: Round; problems: ResponseProblem[]; response?: Response } | { round: Round; closed: true }> {
    const round = (await this.rounds.getRound(tenantId, form.roundId))?.value;
    const participant = round?.participants.find((p) => p.aadObjectId === teacher.aadObjectId);
    if (!round || !participant || !participant.goals.some((goal) => goal.number === form.goal)) {
      throw new AppError('NOT_FOUND', 'not a goal of hers in this round');
    }
    if (round.status !== 'open') return { round, closed: true };
    const checked = checkResponse(form, confirm);
    if ('problems' in checked) return { round, problems: checked.problems };
    const before = confirm ? roundCounts(round, await this.rounds.responses(tenantId, round.id)).done : 0;
    const response = await retryOnStale('follow-up answer', async () => {
      const stored = await this.rounds.getResponse(tenantId, round.id, teacher.aadObjectId, form.goal);
      const now = this.clock.now().toISOString();
      const wasConfirmed = stored?.value.status === 'confirmed';
      const next: Response = {
        roundId: round.id,
        aadObjectId: teacher.aadObjectId,
        name: participant.name,
        goalNumber: form.goal,
        ...checked.values,
        // A confirmed answer stays confirmed when she changes it; the first confirmation's time is kept.
        status: confirm || wasConfirmed ? 'confirmed' : 'draft',
        updatedAt: now,
        ...(wasConfirmed ? { confirmedAt: stored.value.confirmedAt } : confirm ? { confirmedAt: now } : {}),
      };
      await this.rounds.saveResponse(tenantId, next, stored?.eTag);
      return next;
    });
    if (confirm && roundCounts(round, await this.rounds.responses(tenantId, round.id)).done !== before) await this.effects.progressChanged(round);
    return { round, response };
  }

  /** The last day the start form suggests: two weeks on. */
  static lastDayDefault(today: string): string {
    return addDays(today, 14);
  }
}

function notOwner(unit: School | undefined): AppError {
  return new AppError('NOT_ALLOWED', 'not the owner of the målsamtal', { action: 'followUp', level: unit ? dialogueLevel({ schoolId: unit.id }) : 'school' });
}
