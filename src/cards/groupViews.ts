import type { Group, Phase } from '../domain/learningGroup';
import { ANONYMOUS_MINIMUM, GROUP_KINDS, MAX_MEMBERS, meetingsInOrder, PRIVACY } from '../domain/learningGroup';
import type { GroupForm, GroupProblem } from '../domain/learningGroupFormRules';
import type { Person } from '../domain/learningGroupService';
import { NO_AREA } from '../domain/learningGroupForms';
import { idsIn } from '../domain/learningGroupFormRules';
import { ORGANISATION_KINDS } from '../domain/learningGroupNetwork';
import type { Language, Strings } from '../i18n';
import { formatDate } from './goalViews';
import { type PeoplePicker, type PeoplePickerId, renderGroupCard, renderGroupChoiceCard, renderGroupFormCard, renderQuestionEditorCard } from './groups';
import { type AdaptiveCard, MAX_REFRESH_USERS } from './render';

export { MAX_REFRESH_USERS };

/**
 * Up to this many people in the conversation, the group form's pickers list
 * them all. Beyond, each picker lists only the people chosen in it, and the
 * others are found by typing: Teams asks the bot (Data.Query, answered by
 * the application/search invoke in src/bot/learningGroupFacilitator.ts).
 * The short list is also the fallback where Data.Query is not answered:
 * Microsoft 365 Agents Playground shows a card's static choices but sends
 * no application/search, so its few test users can still be picked there.
 */
export const LISTED_PEOPLE_MAX = 20;

/**
 * The group form. `people` are those who may be chosen (the conversation's
 * roster, with an existing group's members): they name the chosen ids, and
 * a chosen id none of them has is left out of the card.
 */
export function groupFormCard(
  strings: Strings,
  form: GroupForm,
  people: Person[],
  options: { groupName?: string; problems?: GroupProblem[]; noSchoolDays?: boolean; network?: GroupFormNetwork } = {},
): AdaptiveCard {
  const f = strings.groups.form;
  const n = strings.network.form;
  const network = options.network ?? { choice: false, area: false, areas: [] };
  const names = new Map(people.map((p) => [p.aadObjectId, p.name]));
  const listAll = people.length <= LISTED_PEOPLE_MAX;
  const everyone = people.map((p) => ({ title: p.name, value: p.aadObjectId }));
  // No group has more than MAX_MEMBERS and its samtalsledare: more chosen than that cannot be saved, and would only swell the card.
  const chosen = (value: string) =>
    idsIn(value)
      .filter((id) => names.has(id))
      .slice(0, MAX_MEMBERS + 1);
  // A picker with nobody chosen still offers someone (a choice set needs a choice): the group's people so far, or the first person here.
  const offered = (id: PeoplePickerId) => {
    const own = chosen(form[id]);
    if (own.length > 0) return own;
    const group = [...new Set([...chosen(form.members), ...chosen(form.facilitator)])];
    return (group.length > 0 ? group : people.map((p) => p.aadObjectId)).slice(0, LISTED_PEOPLE_MAX);
  };
  const picker = (id: PeoplePickerId): PeoplePicker =>
    listAll
      ? { choices: everyone, search: false, style: 'compact', placeholder: '' }
      : { choices: offered(id).map((value) => ({ title: names.get(value)!, value })), search: true, style: 'filtered', placeholder: f.searchPeople };
  return renderGroupFormCard({
    title: options.groupName ? f.editTitle(options.groupName) : f.newTitle,
    groupId: form.groupId ?? '',
    formId: form.formId ?? '',
    problemsHeading: f.heading,
    problems: (options.problems ?? []).map((p) => (p === 'area' ? n.areaProblem : (f.problems[p] ?? p))),
    labels: {
      name: f.name,
      nameError: f.problems.name ?? '',
      kind: f.kind,
      subject: f.subject,
      grades: f.grades,
      facilitator: f.facilitator,
      members: f.members,
      studentHealth: f.studentHealth,
      treatment: f.treatment,
      meetingCount: f.meetingCount,
      spread: f.spread,
      startTime: f.startTime,
      endTime: f.endTime,
      dates: f.dates,
      privacy: f.privacy,
      beforeLead: f.beforeLead,
      reminderLead: f.reminderLead,
      crossSchoolLabel: n.crossSchoolLabel,
      crossSchool: n.crossSchool,
      area: n.area,
    },
    values: {
      name: form.name,
      kind: form.kind,
      subject: form.subject,
      grades: form.grades,
      facilitator: chosen(form.facilitator).join(','),
      members: chosen(form.members).join(','),
      studentHealth: chosen(form.studentHealth).join(','),
      treatment: chosen(form.treatment).join(','),
      meetingCount: form.meetingCount,
      startTime: form.startTime,
      endTime: form.endTime,
      privacy: form.privacy,
      beforeLeadHours: form.beforeLeadHours,
      reminderLeadHours: form.reminderLeadHours,
      crossSchool: form.crossSchool === 'true' ? 'true' : 'false',
      area: form.area || NO_AREA,
    },
    network: {
      choice: network.choice,
      area: network.area,
      areas: [{ title: n.noArea, value: NO_AREA }, ...network.areas.map((a) => ({ title: a.title, value: a.id }))],
    },
    // A förstelärarnätverk is always the organisation's: offered where a group across schools may be made.
    kinds: GROUP_KINDS.filter((kind) => network.choice || network.area || kind === form.kind || !ORGANISATION_KINDS.includes(kind)).map((kind) => ({
      title: strings.groups.kinds[kind] ?? kind,
      value: kind,
    })),
    pickers: { facilitator: picker('facilitator'), members: picker('members'), studentHealth: picker('studentHealth'), treatment: picker('treatment') },
    privacies: PRIVACY.map((p) => ({ title: strings.groups.privacy[p] ?? p, value: p })),
    dates: form.dates.map((value, index) => ({ id: `date${index}`, label: f.date(index + 1), value })),
    noSchoolDays: options.noSchoolDays ? f.noSchoolDays : '',
    submitLabel: options.groupName ? f.save : f.create,
  });
}

/**
 * What the group form offers of a group across schools: the choice to make
 * one (`choice`: outside the schools' staff teams, to those who may) and
 * its development area (`area`: with the choice, or for a group that is one).
 */
export interface GroupFormNetwork {
  choice: boolean;
  area: boolean;
  areas: { id: string; title: string }[];
}

/** The form's values for an existing group. */
export function formOfGroup(group: Group): GroupForm {
  const ids = (role: string) =>
    group.members
      .filter((m) => m.role === role)
      .map((m) => m.aadObjectId)
      .join(',');
  return {
    groupId: group.id,
    name: group.name,
    kind: group.kind,
    subject: group.subject ?? '',
    grades: group.grades ?? '',
    facilitator: group.facilitator.aadObjectId,
    members: group.members.map((m) => m.aadObjectId).join(','),
    studentHealth: ids('elevhälsa'),
    treatment: ids('behandlingspersonal'),
    meetingCount: String(group.meetings.length),
    startTime: group.startTime,
    endTime: group.endTime,
    dates: meetingsInOrder(group).map((m) => m.date),
    privacy: group.privacy,
    beforeLeadHours: String(group.beforeLeadHours),
    reminderLeadHours: String(group.reminderLeadHours),
    crossSchool: group.crossSchool ? 'true' : '',
    area: group.crossSchool?.area?.id ?? '',
  };
}

/** A check-in's answers as the group's card counts them: hidden while an anonymous group has too few. */
export type CheckInCount = { answered: number; members: number } | { hidden: true };

export interface MeetingCounts {
  date: string;
  /** The meeting has ended. */
  past: boolean;
  before?: CheckInCount;
  after?: CheckInCount;
}

/** What the group card's check-in button does: post the check-in that is due (named after it), show the open one again, or nothing (no button). */
export type CheckInButton = { kind: 'post' | 'show'; phase: Phase; date: string } | { kind: 'none' };

/**
 * Whose view of the group's card: everyone's (the card in the conversation:
 * no buttons that change the group), or that of someone who may change it
 * (its samtalsledare or creator: "Ändra gruppen", "Ändra frågorna"). The
 * card carries a refresh for those who may, so Teams shows each of them
 * their own view; pressing a button is still checked on the server.
 */
export type GroupCardViewer = 'everyone' | 'editor';

/** `meetings` in date order, one per meeting of the group. */
export function groupCard(
  strings: Strings,
  language: Language,
  group: Group,
  meetings: MeetingCounts[],
  checkIn: CheckInButton,
  viewer: GroupCardViewer,
): AdaptiveCard {
  const c = strings.groups.card;
  const next = meetings.find((m) => !m.past);
  const count = (n?: CheckInCount) => (!n ? c.notPosted : 'hidden' in n ? `<${ANONYMOUS_MINIMUM}` : `${n.answered}/${n.members}`);
  const across = group.crossSchool ? [group.crossSchool.area?.title, strings.network.acrossSchools] : [];
  const kindLine = [strings.groups.kinds[group.kind], ...across, group.subject, group.grades].filter(Boolean).join(' · ');
  return renderGroupCard({
    groupId: group.id,
    name: group.name,
    kindLine,
    facilitator: c.facilitator(group.facilitator.name),
    next: next ? c.next(`${formatDate(next.date, language)} ${group.startTime}–${group.endTime}`) : c.noNext,
    membersHeading: c.members(group.members.length),
    members: group.members.map((m) => (m.role === 'lärare' ? m.name : `${m.name} (${strings.groups.roles[m.role] ?? m.role})`)),
    pastHeading: c.past,
    past: meetings.filter((m) => m.past).map((m) => c.pastLine(formatDate(m.date, language), count(m.before), count(m.after))),
    // The check-in is named in a line of its own: a button's label is cut on a phone.
    checkInLine: checkIn.kind === 'none' ? '' : (checkIn.kind === 'post' ? c.nextCheckIn : c.openCheckIn)(checkIn.phase, formatDate(checkIn.date, language)),
    labels: { checkInNow: checkIn.kind === 'show' ? c.showCheckIn : c.postCheckIn, log: c.log, edit: c.edit, questions: c.questions },
    canEdit: viewer === 'editor',
    refreshUserIds: editorUserIds(group),
  });
}

/** The Teams user ids of those who may change the group: its samtalsledare, and its creator when a member. */
function editorUserIds(group: Group): string[] {
  const creator = group.members.find((m) => m.aadObjectId === group.createdBy);
  return [...new Set([group.facilitator.userId, ...(creator ? [creator.userId] : [])])].slice(0, MAX_REFRESH_USERS);
}

export function groupChoiceCard(strings: Strings, groups: Group[], verb: string): AdaptiveCard {
  return renderGroupChoiceCard({ question: strings.groups.choose, groups: groups.map((g) => ({ groupId: g.id, name: g.name, verb })) });
}

export function questionEditorCard(strings: Strings, language: Language, group: Group, scope: string, phase: 'before' | 'after', problem = ''): AdaptiveCard {
  const e = strings.groups.editor;
  const meeting = scope === 'all' ? undefined : group.meetings.find((m) => m.id === scope);
  const questions = (meeting?.questions[phase] ?? group.questions[phase]).map((q, index) => ({
    labelId: `q${index}Label`,
    label: e.label(index + 1),
    value: q.label,
    requiredId: `q${index}Required`,
    requiredLabel: e.required,
    required: String(q.required),
  }));
  return renderQuestionEditorCard({
    title: e.title(group.name),
    groupId: group.id,
    problem,
    scope: meeting ? meeting.id : 'all',
    scopes: [{ title: e.allMeetings, value: 'all' }, ...meetingsInOrder(group).map((m) => ({ title: e.meeting(formatDate(m.date, language)), value: m.id }))],
    phase,
    phases: [
      { title: strings.groups.phase.before ?? 'before', value: 'before' },
      { title: strings.groups.phase.after ?? 'after', value: 'after' },
    ],
    shown: `${meeting ? meeting.id : 'all'}|${phase}`,
    questions,
    labels: { scope: e.scope, phase: e.phase, add: e.add, load: e.load, save: e.save },
  });
}
