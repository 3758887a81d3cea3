import { AppError } from './errors';
import type { Answer, AnswerProblem, CheckIn, CheckInView, CrossSchool, Group, GroupKind } from './learningGroup';
import type { Actor, Organisation } from './organisation';

/**
 * Groups across schools (seed 002: nätverk and utvecklingsgrupper for the
 * organisation's development areas, where a few verksamhetsutvecklare per
 * unit meet about five times a läsår and drive their own unit's work in
 * between; seed 000: a förstelärarnätverk). Such a group belongs to the
 * organisation, not to one school: it lives outside the schools' staff
 * teams, links to its development area, knows each member's unit, and its
 * before check-in asks what each member has done at their unit since the
 * last meeting, which the samtalsledare's summary shows per unit.
 */

/** The before check-in's question to every member of a group across schools. */
export const UNIT_QUESTION_ID = 'atUnit';
/** The check-in field in which a member whose unit is not known yet picks it, once. */
export const UNIT_FIELD = 'unit';
/** Kinds that work on a development area: across schools they must name one. */
export const AREA_KINDS: readonly GroupKind[] = ['utvecklingsgrupp', 'nätverk'];
/** A förstelärarnätverk is always the organisation's. */
export const ORGANISATION_KINDS: readonly GroupKind[] = ['förstelärarnätverk'];

/**
 * Who may create a group across schools: a manager (verksamhetschef,
 * utbildningschef), a principal of any school, or an organisation admin.
 */
export function mayCreateAcrossSchools(organisation: Organisation, actor: Actor): boolean {
  return organisation.isManager(actor) || organisation.isAdmin(actor) || organisation.schoolsLedBy(actor).length > 0;
}

/** Where a group is created: the team of a channel (none in a chat). */
export interface GroupTeam {
  teamId?: string;
  aadGroupId?: string;
}

/**
 * Whether a new group is the organisation's: asked for on the form (or a
 * förstelärarnätverk), or created in the principals' team, where every
 * group spans the schools.
 */
export function wantsCrossSchool(organisation: Organisation, form: { crossSchool: string; kind: string }, team: GroupTeam | undefined): boolean {
  return form.crossSchool === 'true' || (ORGANISATION_KINDS as readonly string[]).includes(form.kind) || Boolean(team && organisation.isPrincipalsTeam(team));
}

/**
 * The check of who creates a group across schools and where, on the
 * server: never in a school's staff team (its groups are the school's), and
 * only by those mayCreateAcrossSchools names.
 */
export function authorizeCrossSchool(organisation: Organisation, actor: Actor, team: GroupTeam | undefined): void {
  if (team && (team.teamId || team.aadGroupId) && organisation.schoolByTeam(team)) {
    throw new AppError('INVALID_INPUT', 'a group across schools is not made in a staff team', { reason: 'crossSchoolInStaffTeam' });
  }
  if (!mayCreateAcrossSchools(organisation, actor)) throw new AppError('NOT_ALLOWED', 'not a manager, principal or admin', { action: 'createCrossSchool' });
}

/** The group's development area and the organisation's schools; undefined (and a problem) for an area the file does not have. */
export function crossSchoolOf(organisation: Organisation, areaId: string): CrossSchool | undefined {
  const id = areaId.trim();
  const area = id ? organisation.developmentArea(id) : undefined;
  if (id && !area) return undefined;
  return {
    ...(area ? { area: { id: area.id, title: area.title } } : {}),
    units: organisation.file.schools.map((school) => ({ id: school.id, name: school.name })),
  };
}

/** A member's unit as the organisation file says: the school they lead, or whose staff lists them. */
export function unitInOrganisation(organisation: Organisation, person: { aadObjectId: string }): string | undefined {
  const school = organisation.file.schools.find(
    (entry) =>
      organisation.isPrincipalOf(entry, person) || (entry.staff ?? []).some((ref) => ref.aadObjectId?.toLowerCase() === person.aadObjectId.toLowerCase()),
  );
  return school?.id;
}

/** The unit a member of the group is known to come from (the group's record, else the check-in's); undefined while they have not said. */
export function knownUnit(group: Group, checkIn: Pick<CheckIn, 'members'> | undefined, aadObjectId: string): string | undefined {
  return group.members.find((m) => m.aadObjectId === aadObjectId)?.unit ?? checkIn?.members.find((m) => m.aadObjectId === aadObjectId)?.unit ?? undefined;
}

/** The unit an answer was given for: as the member said in it, else as known of them. */
export function unitOfAnswer(group: Group, checkIn: CheckIn, answer: Answer): string | undefined {
  const said = answer.values[UNIT_FIELD];
  return typeof said === 'string' && said ? said : knownUnit(group, checkIn, answer.aadObjectId);
}

/**
 * The unit an answer is given for, in a group across schools: the member's
 * known one, else the one they picked in the card (`picked`, to remember),
 * else the problem that they must pick one. Nothing in a school's group.
 */
export function unitOfNewAnswer(
  view: CheckInView,
  aadObjectId: string,
  input: Record<string, unknown>,
): { id?: string; picked?: string; problem?: AnswerProblem } {
  const { crossSchool } = view.group;
  if (!crossSchool) return {};
  const known = knownUnit(view.group, view.checkIn, aadObjectId);
  if (known) return { id: known };
  const raw = input[UNIT_FIELD];
  const picked = typeof raw === 'string' ? crossSchool.units.find((u) => u.id === raw.trim())?.id : undefined;
  return picked ? { id: picked, picked } : { problem: { questionId: UNIT_FIELD, problem: 'required' } };
}

/** One unit's part of a check-in: its members, those who answered, and their answers. */
export interface UnitTally {
  /** Undefined for members whose unit is not known. */
  unitId?: string;
  name: string;
  members: number;
  answers: Answer[];
}

/**
 * A check-in of a group across schools, per unit, in the order of the
 * organisation file; members whose unit is not known come last. `unknown`
 * names that last group.
 */
export function tallyByUnit(group: Group, checkIn: CheckIn, answers: Answer[], unknown: string): UnitTally[] {
  const units = group.crossSchool?.units ?? [];
  const memberIds = new Set(checkIn.members.map((m) => m.aadObjectId));
  const counted = answers.filter((a) => memberIds.has(a.aadObjectId));
  const answered = new Map(counted.map((a) => [a.aadObjectId, a]));
  const unitOfMember = (aadObjectId: string) => {
    const answer = answered.get(aadObjectId);
    return answer ? unitOfAnswer(group, checkIn, answer) : knownUnit(group, checkIn, aadObjectId);
  };
  const known = new Set(units.map((u) => u.id));
  const tallies = [...units.map((u) => ({ unitId: u.id, name: u.name })), { unitId: undefined, name: unknown }].map(({ unitId, name }) => {
    const inUnit = (aadObjectId: string) => {
      const unit = unitOfMember(aadObjectId);
      return unitId === undefined ? !unit || !known.has(unit) : unit === unitId;
    };
    return {
      ...(unitId ? { unitId } : {}),
      name,
      members: checkIn.members.filter((m) => inUnit(m.aadObjectId)).length,
      answers: counted.filter((a) => inUnit(a.aadObjectId)),
    };
  });
  return tallies.filter((t) => t.members > 0 || t.answers.length > 0);
}
