import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { localDateOf } from '../time';
import { AppError, isAppError } from './errors';
import { formIdSchema } from './formIds';
import { DEFAULT_START, type GroupForm, type GroupProblem, validateGroupForm } from './learningGroupFormRules';
import {
  type Answer,
  type CheckIn,
  type CrossSchool,
  type CheckInView,
  DEFAULT_MEETINGS,
  GROUP_KINDS,
  type Group,
  MAX_QUESTIONS,
  type Meeting,
  meetingsInOrder,
  type Phase,
  type Question,
  questionSchema,
} from './learningGroup';
import { authorizeCheckIn, authorizeGroup, type CheckInNeed, type GroupAccess, type GroupNeed } from './learningGroupAccess';
import { meetingOn, meetingTimes, spreadMeetings } from './learningGroupCalendar';
import { type AnswerEffects, type AnswerResult, CheckInAnswers } from './learningGroupAnswers';
import { type CheckInEffects, type CheckInOffer, CheckIns } from './learningGroupCheckIns';
import {
  AREA_KINDS,
  authorizeCrossSchool,
  crossSchoolOf,
  type GroupTeam,
  mayCreateAcrossSchools,
  unitInOrganisation,
  wantsCrossSchool,
} from './learningGroupNetwork';
import type { LearningGroupRepository } from './learningGroupRepository';
import type { Stored } from './optimistic';
import type { Actor, Organisation } from './organisation';
import type { SchoolClock } from './schoolClock';

/** Declared with the check-in's other data in ./learningGroup; here too for the service's callers. */
export type { CheckInView } from './learningGroup';

/** A person as Teams gives them in a turn or a roster. */
export interface Person {
  aadObjectId: string;
  userId: string;
  name: string;
}

export interface GroupConversation {
  tenantId: string;
  conversationId: string;
  serviceUrl: string;
  kind: Group['conversation']['kind'];
  botId: string;
  language: 'sv' | 'en';
}

/** What follows a change, outside the turn (implemented in src/effects/learningGroups.ts). */
export interface LearningGroupEffects extends CheckInEffects, AnswerEffects {
  /** The group's dates or settings changed: plan its check-ins. */
  groupSaved(group: Group, previous?: Group): Promise<void>;
}

/** Where a group is created, for a group across schools: who creates it (as the organisation knows them) and the channel's team. */
export interface GroupWhere {
  actor?: Actor;
  team?: GroupTeam;
}

export class LearningGroupService {
  private readonly checkIns: CheckIns;
  private readonly answers: CheckInAnswers;

  constructor(
    private readonly organisation: Organisation,
    private readonly groups: LearningGroupRepository,
    private readonly effects: LearningGroupEffects,
    private readonly clock: SchoolClock,
    /** The default questions, in the group's language (a group across schools also asks about each member's unit). */
    private readonly defaultQuestions: (language: 'sv' | 'en', options?: { acrossSchools?: boolean }) => { before: Question[]; after: Question[] },
  ) {
    this.checkIns = new CheckIns(groups, effects, clock);
    this.answers = new CheckInAnswers(groups, effects, clock);
  }

  today(): string {
    return localDateOf(this.clock.now(), this.clock.timeZone);
  }

  /**
   * `count` meeting dates over what is left of the läsår, on school days
   * (no weekends, none of the organisation's holidays), evenly spread.
   * Fewer when fewer school days are left.
   */
  spreadMeetings(count: number): string[] {
    return spreadMeetings(this.organisation.schoolYearOn(this.today()), count, this.today(), DEFAULT_START, this.clock.timeZone);
  }

  /** Who may create a group across schools (see ./learningGroupNetwork). */
  mayCreateAcrossSchools(actor: Actor): boolean {
    return mayCreateAcrossSchools(this.organisation, actor);
  }

  /** Whether a group created here with this form belongs to the organisation (asked for, a förstelärarnätverk, or the principals' team). */
  isCrossSchool(form: Pick<GroupForm, 'crossSchool' | 'kind'>, team: GroupTeam | undefined): boolean {
    return wantsCrossSchool(this.organisation, form, team);
  }

  /** The development areas a group across schools may work on. */
  developmentAreas(): { id: string; title: string }[] {
    return this.organisation.file.organisation.developmentAreas.map(({ id, title }) => ({ id, title }));
  }

  /** A cross-school form's area: a known one, and one at all for an utvecklingsgrupp or nätverk; else the problem. */
  private crossSchoolOfForm(form: GroupForm): CrossSchool | 'area' {
    const crossSchool = crossSchoolOf(this.organisation, form.area);
    if (!crossSchool || (!crossSchool.area && (AREA_KINDS as readonly string[]).includes(form.kind))) return 'area';
    return crossSchool;
  }

  defaultMeetingCount(kind: string): number {
    return (GROUP_KINDS as readonly string[]).includes(kind) ? DEFAULT_MEETINGS[kind as Group['kind']] : 6;
  }

  /** Checks a group form against the conversation's members; the problems, or the group's parts. */
  validateForm(form: GroupForm, members: Person[]): ReturnType<typeof validateGroupForm> {
    return validateGroupForm(form, members, this.today());
  }

  async createGroup(
    conversation: GroupConversation,
    creator: Person,
    form: GroupForm,
    members: Person[],
    where: GroupWhere = {},
  ): Promise<{ group: Group; existing?: true } | { problems: GroupProblem[] }> {
    // A form that became a group already (submitted twice): that group, and nothing created again.
    const formId = formIdSchema.safeParse(form.formId).data;
    const existing = formId ? await this.groupOfForm(conversation, formId) : undefined;
    if (existing) return { group: existing, existing: true };
    const acrossSchools = this.isCrossSchool(form, where.team);
    if (acrossSchools) authorizeCrossSchool(this.organisation, where.actor ?? { aadObjectId: creator.aadObjectId }, where.team);
    const checked = this.validateForm({ ...form, groupId: undefined }, members);
    const crossSchool = acrossSchools ? this.crossSchoolOfForm(form) : undefined;
    if ('problems' in checked || crossSchool === 'area')
      return { problems: [...('problems' in checked ? checked.problems : []), ...(crossSchool ? ['area' as const] : [])] };
    const { dates, ...parts } = checked.parts;
    if (crossSchool) {
      // Each member's unit as the organisation file says it; the others pick theirs in their first check-in.
      parts.members = parts.members.map((m) => {
        const unit = unitInOrganisation(this.organisation, m);
        return unit ? { ...m, unit } : m;
      });
    }
    const now = this.clock.now().toISOString();
    const group: Group = {
      id: formId ?? `${this.today().replace(/-/g, '')}-${randomBytes(4).toString('hex')}`,
      tenantId: conversation.tenantId,
      conversation: {
        conversationId: conversation.conversationId,
        serviceUrl: conversation.serviceUrl,
        kind: conversation.kind,
        botId: conversation.botId,
        language: conversation.language,
      },
      ...parts,
      ...(crossSchool ? { crossSchool } : {}),
      meetings: dates.map((date, index) => ({ id: `m${index + 1}`, date, questions: {} })),
      questions: this.defaultQuestions(conversation.language, { acrossSchools: crossSchool !== undefined }),
      createdBy: creator.aadObjectId,
      createdAt: now,
      updatedAt: now,
      schoolYearId: this.organisation.schoolYearOn(this.today()).id,
    };
    try {
      await this.groups.createGroup(group);
    } catch (error) {
      // The same form submitted twice at the same moment: the other submission created it.
      const created = formId && isAppError(error, 'CONFLICT') ? await this.groupOfForm(conversation, formId) : undefined;
      if (!created) throw error;
      return { group: created, existing: true };
    }
    await this.effects.groupSaved(group);
    return { group };
  }

  /** The group a form created, if any; a form id naming a group of another conversation was not sent by this conversation's form. */
  private async groupOfForm(conversation: GroupConversation, formId: string): Promise<Group | undefined> {
    const group = await this.group(conversation.tenantId, formId);
    if (group && group.conversation.conversationId !== conversation.conversationId) throw new AppError('NOT_FOUND', 'no such group here');
    return group;
  }

  /** The group `groupId` (named by a card), when `access` may have `need` of it (see ./learningGroupAccess). */
  async groupFor(access: GroupAccess, groupId: string, need: GroupNeed): Promise<Group> {
    return authorizeGroup(await this.group(access.tenantId, groupId), access, need);
  }

  private async storedFor(access: GroupAccess, groupId: string, need: GroupNeed): Promise<Stored<Group>> {
    const stored = await this.groups.getGroup(access.tenantId, groupId);
    if (!stored) throw new AppError('NOT_FOUND', 'no such group');
    authorizeGroup(stored.value, access, need);
    return stored;
  }

  /** Changes the group, if `access` is its facilitator in its conversation. */
  async updateGroup(access: GroupAccess, groupId: string, form: GroupForm, members: Person[]): Promise<{ group: Group } | { problems: GroupProblem[] }> {
    const { tenantId } = access;
    const stored = await this.storedFor(access, groupId, 'edit');
    const previous = stored.value;
    // Members who left the conversation stay choosable for the group they are in.
    const known = new Map([...previous.members, ...members].map((m) => [m.aadObjectId, { aadObjectId: m.aadObjectId, userId: m.userId, name: m.name }]));
    const checked = this.validateForm({ ...form, groupId }, [...known.values()]);
    // A group across schools stays one; its area may change. A school's group does not become one by an edit.
    const crossSchool = previous.crossSchool ? this.crossSchoolOfForm(form) : undefined;
    if ('problems' in checked || crossSchool === 'area')
      return { problems: [...('problems' in checked ? checked.problems : []), ...(crossSchool ? ['area' as const] : [])] };
    const { dates, ...parts } = checked.parts;
    if (crossSchool) {
      const units = new Map(previous.members.map((m) => [m.aadObjectId, m.unit]));
      parts.members = parts.members.map((m) => {
        const unit = units.get(m.aadObjectId) ?? unitInOrganisation(this.organisation, m);
        return unit ? { ...m, unit } : m;
      });
    }
    // Meetings keep their ids (and check-ins) by position in time: the first date is still m1.
    const kept = meetingsInOrder(previous);
    // A removed meeting's id stays taken while its check-ins exist, so a new date never inherits them.
    const posted = await this.groups.checkInsOfGroup(tenantId, groupId);
    const used = new Set([...previous.meetings.map((m) => m.id), ...posted.map((c) => c.meetingId)]);
    let next = previous.meetings.length + 1;
    const meetings: Meeting[] = dates.map((date, index) => {
      const old = kept[index];
      if (old) return { ...old, date };
      let id = `m${next++}`;
      while (used.has(id)) id = `m${next++}`;
      return { id, date, questions: {} };
    });
    const group: Group = {
      ...previous,
      ...parts,
      subject: parts.subject,
      grades: parts.grades,
      ...(crossSchool ? { crossSchool } : {}),
      meetings,
      updatedAt: this.clock.now().toISOString(),
    };
    await this.groups.saveGroup(group, stored.eTag);
    await this.effects.groupSaved(group, previous);
    return { group };
  }

  /** Replaces the questions of a phase, for the whole group or one meeting. */
  async updateQuestions(access: GroupAccess, groupId: string, phase: Phase, meetingId: string | undefined, questions: Question[]): Promise<Group> {
    const stored = await this.storedFor(access, groupId, 'edit');
    const group = structuredClone(stored.value);
    const parsed = z.array(questionSchema).min(1).max(MAX_QUESTIONS).safeParse(questions);
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'questions do not parse');
    if (meetingId) {
      const meeting = group.meetings.find((m) => m.id === meetingId);
      if (!meeting) throw new AppError('NOT_FOUND', 'no such meeting');
      meeting.questions[phase] = parsed.data;
    } else {
      group.questions[phase] = parsed.data;
    }
    group.updatedAt = this.clock.now().toISOString();
    await this.groups.saveGroup(group, stored.eTag);
    return group;
  }

  async group(tenantId: string, groupId: string): Promise<Group | undefined> {
    return (await this.groups.getGroup(tenantId, groupId))?.value;
  }

  async groupsIn(tenantId: string, conversationId: string): Promise<Group[]> {
    const summaries = await this.groups.groupsInConversation(tenantId, conversationId);
    const groups = await Promise.all(summaries.map((s) => this.group(tenantId, s.groupId)));
    return groups.filter((g): g is Group => g !== undefined);
  }

  /** When a meeting starts and ends, as instants. */
  meetingTimes(group: Group, meeting: Meeting): { start: Date; end: Date } {
    return meetingTimes(group, meeting, this.clock.timeZone);
  }

  /** What `incheckning` does for the group now: post the next check-in due, or show the open one again. */
  checkInOffer(group: Group): Promise<CheckInOffer> {
    return this.checkIns.offer(group);
  }

  /** Today's meeting of the group, for meeting start and end events. */
  meetingOn(group: Group, date: string): Meeting | undefined {
    return meetingOn(group, date);
  }

  /**
   * Creates a check-in (once: a second call for the same meeting and phase
   * returns the existing one with created false).
   */
  openCheckIn(group: Group, meeting: Meeting, phase: Phase): Promise<{ checkIn: CheckIn; created: boolean }> {
    return this.checkIns.openCheckIn(group, meeting, phase);
  }

  /** After the card is in the conversation: remember where, and plan the reminder and closing. */
  checkInPosted(group: Group, checkIn: CheckIn, activityId: string | undefined): Promise<CheckIn> {
    return this.checkIns.checkInPosted(group, checkIn, activityId);
  }

  closeCheckIn(tenantId: string, id: string): Promise<CheckIn> {
    return this.checkIns.closeCheckIn(tenantId, id);
  }

  /** The check-in `id` (named by a card), when `access` may have `need` of it (see ./learningGroupAccess). */
  async checkInFor(access: GroupAccess, id: string, need: CheckInNeed): Promise<CheckInView> {
    return authorizeCheckIn(await this.view(access.tenantId, id), access, need);
  }

  view(tenantId: string, id: string): Promise<CheckInView> {
    return this.checkIns.view(tenantId, id);
  }

  /**
   * A member's answer. One per person: an edit replaces it. Bad input comes
   * back as problems and nothing is stored; a closed check-in takes no
   * answers. Its save records `activityId` (the activity's claim): the same
   * activity again comes back `redelivered` (see ./learningGroupAnswers).
   */
  answer(
    access: GroupAccess,
    id: string,
    input: Record<string, unknown>,
    via: Answer['via'],
    goalIds: ReadonlySet<string>,
    activityId?: string,
  ): Promise<AnswerResult> {
    return this.answers.answer(access, id, input, via, goalIds, activityId);
  }

  /** True when `activityId` saved the person's answer to the check-in `id` (a redelivery of a turn that answered). */
  answeredBy(tenantId: string, id: string, aadObjectId: string, activityId: string): Promise<boolean> {
    return this.answers.answeredBy(tenantId, id, aadObjectId, activityId);
  }

  /** Every posted check-in of the group with its answers, oldest first (for the log and the summary's comparison). */
  history(group: Group): Promise<CheckInView[]> {
    return this.checkIns.history(group);
  }
}
