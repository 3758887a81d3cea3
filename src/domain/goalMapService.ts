import { mapBounded } from '../parallel';
import { localDateOf } from '../time';
import { AppError } from './errors';
import type { Dialogue } from './goalDialogue';
import type { DialogueSummary, GoalDialogueRepository } from './goalDialogueRepository';
import { dialogueSchoolYearId } from './goalDialogueYears';
import {
  defaultGoalMapView,
  type GoalMap,
  type GoalMapView,
  goalMapViews,
  latestWithGoals,
  mineMap,
  organisationMap,
  schoolMap,
  schoolPart,
  type TeacherWork,
} from './goalMap';
import { groupsAcrossSchoolsOf } from './goalMapGroups';
import { groupSchoolYearId } from './learningGroup';
import type { LearningGroupRepository } from './learningGroupRepository';
import type { Actor, Organisation, SchoolYear } from './organisation';
import type { SchoolClock } from './schoolClock';
import type { SchoolGoalRepository } from './schoolGoals';

/** Documents read at once when a school's participations and confirmed versions are gathered. */
const PARALLEL_READS = 8;

/**
 * Reads what a goal map is drawn from, for the view the person may see,
 * and hands it to the pure maps in goalMap.ts. The view is checked here on
 * every request, whatever a card claims: a teacher asking for a school's or
 * every school's map is refused.
 */
export class GoalMapService {
  constructor(
    private readonly organisation: Organisation,
    private readonly dialogues: GoalDialogueRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    private readonly groups: Pick<LearningGroupRepository, 'groupsAcrossSchools'>,
    private readonly clock: SchoolClock,
  ) {}

  /**
   * The map in the view asked for (the most relevant one when none is
   * asked) of the läsår asked for (the current one when none is), the views
   * the person may switch to, and the läsår the view has data in (the
   * current one always), newest first, for the card's year chooser.
   */
  async map(
    tenantId: string,
    aadObjectId: string,
    actor: Actor,
    asked?: GoalMapView,
    askedYear?: SchoolYear,
  ): Promise<{ map: GoalMap; views: GoalMapView[]; years: SchoolYear[]; current: SchoolYear }> {
    const views = goalMapViews(this.organisation, actor);
    const view = asked ?? defaultGoalMapView(views);
    if (!views.includes(view)) throw new AppError('NOT_ALLOWED', 'not allowed this view of the goal map', { action: 'goalMap' });
    const current = this.organisation.schoolYearOn(localDateOf(this.clock.now(), this.clock.timeZone));
    const year = askedYear ?? current;
    const [map, withData] = await Promise.all([
      this.read(view, year, tenantId, aadObjectId, actor).then((read) => this.withGroups(read, year, tenantId)),
      this.yearsWithData(view, tenantId, aadObjectId, actor),
    ]);
    const ids = new Set([current.id, ...withData]);
    const years = this.organisation
      .schoolYears()
      .filter((entry) => ids.has(entry.id))
      .reverse();
    return { map, views, years, current };
  }

  /** The läsår in which the view has dialogues (index rows only: one read per teacher or school). */
  private async yearsWithData(view: GoalMapView, tenantId: string, aadObjectId: string, actor: Actor): Promise<string[]> {
    const schools = view === 'school' ? this.organisation.schoolsLedBy(actor) : view === 'all' ? this.organisation.file.schools : [];
    const summaries: DialogueSummary[] =
      view === 'mine'
        ? await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId)
        : (await Promise.all(schools.map((school) => this.dialogues.dialoguesOfSchool(tenantId, school.id)))).flat();
    return summaries.map((summary) => dialogueSchoolYearId(this.organisation, summary, this.clock.timeZone));
  }

  private async read(view: GoalMapView, year: SchoolYear, tenantId: string, aadObjectId: string, actor: Actor): Promise<GoalMap> {
    switch (view) {
      case 'mine': {
        const work = latestWithGoals(await this.teacherWork(tenantId, aadObjectId, year));
        const goals = work ? await this.schoolGoals.list(work.dialogue.schoolId) : [];
        return mineMap(this.organisation, year, work, goals);
      }
      case 'school': {
        const schools = this.organisation.schoolsLedBy(actor);
        const parts = await Promise.all(
          schools.map(async (school) => {
            const [goals, work] = await Promise.all([this.schoolGoals.list(school.id), this.schoolWork(tenantId, school.id, year)]);
            return schoolPart(this.organisation, school, goals, work);
          }),
        );
        return schoolMap(year, parts);
      }
      case 'all': {
        const schools = this.organisation.file.schools;
        const goals = await Promise.all(schools.map(async (school) => [school.id, await this.schoolGoals.list(school.id)] as const));
        return organisationMap(this.organisation, year, new Map(goals));
      }
    }
  }

  /**
   * The map with the development areas and their groups across schools of
   * the läsår: in a teacher's own map only those her chain's overarching
   * goals are worked on in (none without goals), in the others every area.
   */
  private async withGroups(map: GoalMap, year: SchoolYear, tenantId: string): Promise<GoalMap> {
    const serving = map.view === 'mine' ? new Set(map.overarching.map((goal) => goal.id)) : undefined;
    if (serving?.size === 0) return map;
    const groups = await this.groups.groupsAcrossSchools(tenantId);
    const yearOf = (group: { createdAt: string }) => groupSchoolYearId(this.organisation, group, this.clock.timeZone);
    return { ...map, acrossSchools: groupsAcrossSchoolsOf(this.organisation, year, groups, yearOf, serving) };
  }

  /** The person's own participations in dialogues of the läsår, each with its newest confirmed goals. */
  private async teacherWork(tenantId: string, aadObjectId: string, year: SchoolYear): Promise<TeacherWork[]> {
    const summaries = (await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId)).filter((summary) => this.inYear(year, summary));
    const rows = await mapBounded(summaries, PARALLEL_READS, async (summary) => {
      const dialogue = (await this.dialogues.getDialogue(tenantId, summary.dialogueId))?.value;
      const participation = dialogue && (await this.dialogues.getParticipation(dialogue.id, aadObjectId))?.value;
      return dialogue && participation ? this.withConfirmed(dialogue, participation) : undefined;
    });
    return rows.filter((row): row is TeacherWork => row !== undefined);
  }

  /** Every participation in the school's dialogues of the läsår, each with its newest confirmed goals (only counted, never shown). */
  private async schoolWork(tenantId: string, schoolId: string, year: SchoolYear): Promise<TeacherWork[]> {
    const summaries = (await this.dialogues.dialoguesOfSchool(tenantId, schoolId)).filter((summary) => this.inYear(year, summary));
    const dialogues = (await mapBounded(summaries, PARALLEL_READS, (summary) => this.dialogues.getDialogue(tenantId, summary.dialogueId))).flatMap((stored) =>
      stored ? [stored.value] : [],
    );
    const work = await Promise.all(
      dialogues.map(async (dialogue) =>
        mapBounded(await this.dialogues.participations(dialogue), PARALLEL_READS, (participation) => this.withConfirmed(dialogue, participation)),
      ),
    );
    return work.flat();
  }

  private async withConfirmed(dialogue: Dialogue, participation: TeacherWork['participation']): Promise<TeacherWork> {
    if (participation.versions === 0) return { dialogue, participation };
    const versions = await this.dialogues.versions(dialogue.id, participation.aadObjectId, participation.versions);
    const newest = versions[versions.length - 1];
    return newest ? { dialogue, participation, confirmed: newest.goals } : { dialogue, participation };
  }

  private inYear(year: SchoolYear, summary: DialogueSummary): boolean {
    return dialogueSchoolYearId(this.organisation, summary, this.clock.timeZone) === year.id;
  }
}
