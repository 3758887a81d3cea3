import type { DevelopmentArea, FrameworkLevel, OrganisationFile, OverarchingGoal, PersonRef, School, SchoolYear } from './organisationSchema';

export { organisationSchema, FRAMEWORK_LEVELS, schoolYearId } from './organisationSchema';
export type {
  DevelopmentArea,
  Framework,
  FrameworkItem,
  FrameworkLevel,
  IndicatorEntry,
  OrganisationFile,
  OverarchingGoal,
  PersonRef,
  ProcessStep,
  School,
  SchoolGoalEntry,
  SchoolYear,
} from './organisationSchema';

/**
 * The organisation (huvudman) as its file describes it: the goal chain
 * (framework, overarching goals, development areas), the läsår, the
 * managers and each school (enhet) with its staff team, principals, goals,
 * fokusområde and processkarta. The schema is in `organisationSchema.ts`;
 * the loader maps its problems to lines.
 */

/** Someone as Teams knows them in a turn. */
export interface Actor {
  aadObjectId?: string;
  upn?: string;
}

function samePerson(ref: PersonRef, actor: Actor): boolean {
  if (ref.aadObjectId && actor.aadObjectId && ref.aadObjectId.toLowerCase() === actor.aadObjectId.toLowerCase()) return true;
  return Boolean(ref.upn && actor.upn && ref.upn.toLowerCase() === actor.upn.toLowerCase());
}

/** The id of the organisation level where a school id is expected; no school id can look like it. */
export const ORGANISATION_UNIT_ID = '~organisation';

export function isOrganisationUnit(unitId: string): boolean {
  return unitId === ORGANISATION_UNIT_ID;
}

/** A målsamtal's level: with a school's teachers, or with the principals (its unit is the organisation level). */
export function dialogueLevel(dialogue: { schoolId: string }): 'school' | 'organisation' {
  return isOrganisationUnit(dialogue.schoolId) ? 'organisation' : 'school';
}

export class Organisation {
  constructor(readonly file: OrganisationFile) {}

  get name(): string {
    return this.file.organisation.name;
  }

  schoolByTeam(team: { teamId?: string; aadGroupId?: string }): School | undefined {
    return this.file.schools.find(
      (school) =>
        (team.teamId !== undefined && school.teamId === team.teamId) ||
        (team.aadGroupId !== undefined && school.teamAadGroupId?.toLowerCase() === team.aadGroupId.toLowerCase()),
    );
  }

  schoolById(schoolId: string): School | undefined {
    return this.file.schools.find((school) => school.id === schoolId);
  }

  isAdmin(actor: Actor): boolean {
    return this.file.organisation.admins.some((admin) => samePerson(admin, actor));
  }

  isPrincipalOf(school: School, actor: Actor): boolean {
    return school.principals.some((principal) => samePerson(principal, actor));
  }

  /** Principal of the school, or an organisation admin: may start and manage its dialogues. */
  mayManage(school: School, actor: Actor): boolean {
    return this.isPrincipalOf(school, actor) || this.isAdmin(actor);
  }

  schoolsManagedBy(actor: Actor): School[] {
    return this.file.schools.filter((school) => this.mayManage(school, actor));
  }

  /**
   * The unit a team's målsamtal belong to: a school's staff team gives the
   * school, the principals' team the organisation level (managers with the
   * principals), anything else nothing.
   */
  unitByTeam(team: { teamId?: string; aadGroupId?: string }): School | undefined {
    return this.schoolByTeam(team) ?? (this.isPrincipalsTeam(team) ? this.organisationUnit() : undefined);
  }

  /** A school, or the organisation level by its id. */
  unitById(unitId: string): School | undefined {
    return unitId === ORGANISATION_UNIT_ID ? this.organisationUnit() : this.schoolById(unitId);
  }

  /** The schools and, for managers and admins, the organisation level whose målsamtal the actor may manage. */
  unitsManagedBy(actor: Actor): School[] {
    const unit = this.organisationUnit();
    return [...(unit && this.mayManage(unit, actor) ? [unit] : []), ...this.schoolsManagedBy(actor)];
  }

  /**
   * The organisation level as a unit of målsamtal: its "principals" are the
   * managers (and admins), its team is the principals' team. Its goals are
   * not stored as a school's: a dialogue at this level offers the
   * overarching goals (`overarchingAsUnitGoals`).
   */
  organisationUnit(): School | undefined {
    const { principalsTeam, managers, admins, name } = this.file.organisation;
    if (!principalsTeam || managers.length + admins.length === 0) return undefined;
    return { id: ORGANISATION_UNIT_ID, name, ...principalsTeam, principals: [...managers, ...admins], goals: [], processMap: [] };
  }

  /** Verksamhetschef or utbildningschef: holds the principals' målsamtal. */
  isManager(actor: Actor): boolean {
    return this.file.organisation.managers.some((manager) => samePerson(manager, actor));
  }

  /** The principals' team, where managers start the principals' målsamtal. */
  isPrincipalsTeam(team: { teamId?: string; aadGroupId?: string }): boolean {
    const principals = this.file.organisation.principalsTeam;
    if (!principals) return false;
    return (
      (team.teamId !== undefined && principals.teamId === team.teamId) ||
      (team.aadGroupId !== undefined && principals.teamAadGroupId?.toLowerCase() === team.aadGroupId.toLowerCase())
    );
  }

  /** The schools whose principal this is (a person may lead more than one). */
  schoolsLedBy(actor: Actor): School[] {
    return this.file.schools.filter((school) => this.isPrincipalOf(school, actor));
  }

  overarchingGoals(): readonly OverarchingGoal[] {
    return this.file.organisation.overarchingGoals;
  }

  overarchingGoal(goalId: string): OverarchingGoal | undefined {
    return this.file.organisation.overarchingGoals.find((goal) => goal.id === goalId);
  }

  developmentArea(areaId: string): DevelopmentArea | undefined {
    return this.file.organisation.developmentAreas.find((area) => area.id === areaId);
  }

  /** A framework HOW by id, with the WHAT it makes concrete and its level. */
  frameworkHow(howId: string): { item: string; itemTitle: string; level: FrameworkLevel; text: string } | undefined {
    for (const item of this.file.organisation.framework?.items ?? []) {
      for (const level of ['staff', 'leadership', 'administration'] as const) {
        const how = item.hows[level].find((entry) => entry.id === howId);
        if (how) return { item: item.id, itemTitle: item.title, level, text: how.text };
      }
    }
    return undefined;
  }

  schoolYears(): readonly SchoolYear[] {
    return this.file.schoolYears;
  }

  /** The läsår a date (YYYY-MM-DD) belongs to; between two läsår the next one, after the last the last. */
  schoolYearOn(date: string): SchoolYear {
    const years = this.file.schoolYears;
    return years.find((year) => date <= year.end) ?? years[years.length - 1]!;
  }

  schoolYearById(yearId: string): SchoolYear | undefined {
    return this.file.schoolYears.find((year) => year.id === yearId);
  }

  /** Every holiday of every läsår as single ISO dates. */
  holidays(): string[] {
    const days: string[] = [];
    for (const entry of this.file.schoolYears.flatMap((year) => year.holidays)) {
      const [from, to = from] = entry.split('/') as [string, string?];
      for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
        days.push(day.toISOString().slice(0, 10));
      }
    }
    return days;
  }
}
