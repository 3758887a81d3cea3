import { localDateOf } from '../time';
import { AppError, isAppError } from './errors';
import { hasOpened, MAX_FOLLOW_UP_TEXT, type SchoolAnalysis, schoolAnalysisFormSchema } from './followUp';
import { rollUp, roundValues, type RollupLine, type SchoolRollup } from './followUpAnalysis';
import type { FollowUpRepository } from './followUpRepository';
import { type OverarchingWritten, type SchoolGoalsWritten, writtenPerOverarching } from './followUpRollupAnalyses';
import type { FollowUpService } from './followUpService';
import type { Actor, Organisation } from './organisation';
import type { SchoolClock } from './schoolClock';

/**
 * The record of the läsår beyond one round: the school's written analysis
 * per goal (versioned, the principal's), and the manager's rollup of every
 * school's latest round per school and per overarching goal, with the
 * schools' written analyses side by side (followUpRollupAnalyses.ts).
 */
export class FollowUpRecord {
  constructor(
    private readonly organisation: Organisation,
    private readonly rounds: FollowUpRepository,
    private readonly followUps: FollowUpService,
    private readonly clock: SchoolClock,
  ) {}

  /**
   * Saves the principal's analysis of one goal as a new version. A form made
   * before someone else's save is STALE and saves nothing; the goal must be
   * one of the round's målsamtal.
   */
  async writeSchoolAnalysis(tenantId: string, actor: Actor, data: Record<string, unknown>): Promise<{ saved: SchoolAnalysis } | { tooLong: true }> {
    const form = schoolAnalysisFormSchema.parse(data);
    const round = await this.followUps.ownedRound(tenantId, form.roundId, actor);
    const { dialogue } = await this.followUps.analyse(round);
    if (!dialogue.schoolGoals.some((goal) => goal.id === form.goalId)) throw new AppError('NOT_FOUND', 'not a goal of the round');
    if ([form.shows, form.why, form.actions].some((text) => text.length > MAX_FOLLOW_UP_TEXT)) return { tooLong: true };
    const current = (await this.followUps.currentSchoolAnalyses(tenantId, round.schoolId, round.schoolYear)).get(form.goalId);
    if ((current?.version ?? 0) !== form.version) throw new AppError('STALE', 'the analysis was saved by someone else');
    const saved: SchoolAnalysis = {
      schoolId: round.schoolId,
      schoolYear: round.schoolYear,
      goalId: form.goalId,
      version: form.version + 1,
      roundId: round.id,
      shows: form.shows.trim(),
      why: form.why.trim(),
      actions: form.actions.trim(),
      writtenBy: actor.aadObjectId ?? actor.upn ?? '',
      writtenAt: this.clock.now().toISOString(),
    };
    try {
      await this.rounds.addSchoolAnalysis(tenantId, saved);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) throw new AppError('STALE', 'the analysis was saved by someone else');
      throw error;
    }
    return { saved };
  }

  /** Whether the actor sees every school (a manager or an admin). */
  seesEverySchool(actor: Actor): boolean {
    return this.organisation.isManager(actor) || this.organisation.isAdmin(actor);
  }

  /**
   * Every school's latest round of the current läsår that has opened, rolled
   * up per school and per overarching goal, with the change since each
   * school's round before. Managers and admins only.
   */
  async rollup(
    tenantId: string,
    actor: Actor,
  ): Promise<{ schoolYear: string; schools: SchoolRollup[]; overarching: RollupLine[]; written: OverarchingWritten[] }> {
    if (!this.seesEverySchool(actor)) throw new AppError('NOT_ALLOWED', 'not a manager', { action: 'followUp', level: 'organisation' });
    const schoolYear = this.organisation.schoolYearOn(localDateOf(this.clock.now(), this.clock.timeZone)).id;
    const entries = [];
    const writtenBySchool: SchoolGoalsWritten[] = [];
    for (const school of this.organisation.file.schools) {
      const latest = (await this.rounds.roundsOfUnit(tenantId, school.id))
        .filter((summary) => hasOpened(summary) && summary.schoolYear === schoolYear)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      const round = latest && (await this.rounds.getRound(tenantId, latest.roundId))?.value;
      if (!round) continue;
      const [{ analysis, dialogue, written }, responses, previous] = await Promise.all([
        this.followUps.analyse(round),
        this.rounds.responses(tenantId, round.id),
        this.followUps.previousRound(round),
      ]);
      entries.push({
        schoolId: school.id,
        schoolName: school.name,
        roundTitle: round.title,
        analysis,
        values: roundValues(round, responses),
        ...(previous ? { previousValues: roundValues(previous.round, previous.responses) } : {}),
      });
      writtenBySchool.push({ schoolId: school.id, schoolName: school.name, goals: dialogue.schoolGoals, written });
    }
    const overarching = new Map(this.organisation.overarchingGoals().map((goal) => [goal.id, goal.title]));
    return { schoolYear, ...rollUp(entries, overarching), written: writtenPerOverarching(writtenBySchool, overarching) };
  }
}
