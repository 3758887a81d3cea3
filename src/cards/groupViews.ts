import type { Answer, AnswerProblem, CheckIn, Group, Phase, Question } from '../domain/learningGroup';
import { ANONYMOUS_MINIMUM, answersWithoutNames, GROUP_KINDS, MAX_MEMBERS, meetingsInOrder, PHASES, PRIVACY } from '../domain/learningGroup';
import type { CheckInView, GroupForm, GroupProblem, Person } from '../domain/learningGroupService';
import { idsIn, NO_AREA, scalarText } from '../domain/learningGroupForms';
import { knownUnit, ORGANISATION_KINDS, tallyByUnit, UNIT_FIELD, UNIT_QUESTION_ID } from '../domain/learningGroupNetwork';
import type { Language, Strings } from '../i18n';
import { localDateOf, localTimeOf } from '../time';
import { entryBytes, LIST_BUDGET_BYTES, shortened, withinBudget } from './budget';
import { formatDate } from './goalViews';
import {
  type CheckInCardData,
  type CheckInFormField,
  type PeoplePicker,
  type PeoplePickerId,
  renderCheckInCard,
  renderCheckInSummaryCard,
  renderGroupCard,
  renderGroupChoiceCard,
  renderGroupFormCard,
  renderLearningLogCard,
  renderQuestionEditorCard,
} from './groups';
import { type AdaptiveCard, type Choice, MAX_REFRESH_USERS } from './render';
import { VERBS } from './verbs';

export { MAX_REFRESH_USERS };

/**
 * Whose Teams fetches their own view of a group's check-in card: the
 * samtalsledare first, then the members, at most MAX_REFRESH_USERS. The
 * members beyond see the group's view, with a button that fetches theirs.
 */
export function refreshUserIdsOf(group: Group, checkIn: CheckIn): string[] {
  const facilitator = checkIn.members.filter((m) => m.aadObjectId === group.facilitator.aadObjectId);
  return [...new Set([...facilitator, ...checkIn.members].map((m) => m.userId))].slice(0, MAX_REFRESH_USERS);
}

function formatInstant(iso: string, language: Language, timeZone: string): string {
  const instant = new Date(iso);
  return `${formatDate(localDateOf(instant, timeZone), language)} ${localTimeOf(instant, timeZone)}`;
}

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

/** Who is looking at a check-in card, and what they have in hand. */
export interface CheckInViewer {
  /** The shared card in the group's conversation, or one person's own view. */
  mode: 'group' | 'person';
  aadObjectId?: string;
  /** Show the form even though they answered (they pressed "ändra"). */
  editing?: boolean;
  /** What they submitted, when it came back with problems. */
  input?: Record<string, unknown>;
  problems?: AnswerProblem[];
  notice?: string;
  /** Their own confirmed goals, for a goal question. */
  goalChoices?: Choice[];
}

function answerText(question: Question, value: string | number | undefined, goalChoices: Choice[]): string {
  if (value === undefined) return '–';
  if (question.kind === 'goal') {
    const titles = new Map(goalChoices.map((c) => [c.value, c.title]));
    return String(value)
      .split(',')
      .map((id) => titles.get(id) ?? id)
      .join('; ');
  }
  return String(value);
}

/** A 1–5 rating's choices, each on its own line: the ends say what they mean ("1 – inte alls användbar"), so no legend is needed. */
function ratingChoices(anchors: { low: string; high: string }): Choice[] {
  return ['1', '2', '3', '4', '5'].map((n) => ({ title: n === '1' ? `1 – ${anchors.low}` : n === '5' ? `5 – ${anchors.high}` : n, value: n }));
}

export function checkInCard(strings: Strings, language: Language, timeZone: string, view: CheckInView, viewer: CheckInViewer): AdaptiveCard {
  const s = strings.groups.checkIn;
  const { group, checkIn, aggregate: agg } = view;
  const meeting = group.meetings.find((m) => m.id === checkIn.meetingId);
  const open = checkIn.status === 'open';
  const member = viewer.aadObjectId ? checkIn.members.find((m) => m.aadObjectId === viewer.aadObjectId) : undefined;
  const own: Answer | undefined = member ? view.answers.find((a) => a.aadObjectId === member.aadObjectId) : undefined;
  const goalChoices = viewer.goalChoices ?? [];
  const questions = checkIn.questions.filter((q) => q.kind !== 'goal' || goalChoices.length > 0);
  const labelOf = new Map([...checkIn.questions.map((q): [string, string] => [q.id, q.label]), [UNIT_FIELD, strings.network.unitLabel]]);
  // In a group across schools, a member whose unit is not known yet picks it once, first in the form.
  const picksUnit = group.crossSchool !== undefined && member !== undefined && !knownUnit(group, checkIn, member.aadObjectId);
  // Its shared card in a channel reaches more than the group: counts only, per unit.
  const countsOnly = viewer.mode === 'group' && group.crossSchool !== undefined && group.conversation.kind === 'channel';

  const showForm = viewer.mode === 'person' && member !== undefined && open && (!own || viewer.editing === true || (viewer.problems?.length ?? 0) > 0);
  const errors = new Map((viewer.problems ?? []).map((p) => [p.questionId, s.problems[p.problem] ?? p.problem]));
  const form: CheckInFormField[] = showForm
    ? questions.map((q) => {
        const submitted = viewer.input?.[q.id];
        const value = submitted !== undefined ? scalarText(submitted) : own?.values[q.id] !== undefined ? String(own.values[q.id]) : '';
        return {
          id: q.id,
          kind: q.kind,
          label: q.label,
          value,
          required: q.required,
          requiredMessage: s.problems.required ?? '',
          choices: q.kind === 'rating' ? ratingChoices(s.ratingAnchors(q.id)) : q.kind === 'goal' ? goalChoices : [],
          error: errors.get(q.id) ?? '',
        };
      })
    : [];
  if (showForm && picksUnit) form.unshift(unitField(strings, group, viewer, errors.get(UNIT_FIELD) ?? ''));

  const actions: CheckInCardData['actions'] = [];
  if (open && viewer.mode === 'group') actions.push({ title: s.answer, verb: VERBS.checkInView, checkInId: checkIn.id });
  // Those Teams does not refresh for fetch their own view themselves (after answering, "Svara" would read oddly).
  if (open && viewer.mode === 'group' && checkIn.members.length > MAX_REFRESH_USERS)
    actions.push({ title: s.refresh, verb: VERBS.checkInView, checkInId: checkIn.id });
  // The form's own send button is under the form (in the template); the foot has the others.
  if (!showForm && open && own && viewer.mode === 'person') actions.push({ title: s.edit, verb: VERBS.checkInEdit, checkInId: checkIn.id });

  let notice = viewer.notice ?? '';
  if (!notice && viewer.mode === 'person' && !member) notice = s.notMember;
  if (!notice && viewer.mode === 'person' && member && !open && !own) notice = s.closedNoAnswer;

  // The person's own answer or form is shown whole; everyone's answers share what is left.
  const ownBytes = Object.values(own?.values ?? {}).reduce<number>((sum, value) => sum + entryBytes(String(value)), 0);

  const distribution =
    agg.visible && agg.ratingCount > 0
      ? [5, 4, 3, 2, 1].map((n) => ({ title: String(n), value: `${'■'.repeat(agg.distribution[n - 1] ?? 0)} ${agg.distribution[n - 1] ?? 0}` }))
      : [];

  return renderCheckInCard({
    checkInId: checkIn.id,
    title: s.title(group.name, strings.groups.phase[checkIn.phase] ?? checkIn.phase, meeting ? formatDate(meeting.date, language) : ''),
    status: open ? s.closes(formatInstant(checkIn.closesAt, language, timeZone)) : s.closed,
    answeredText: agg.visible ? s.answered(agg.answered, agg.members) : '',
    fewText: agg.visible ? '' : s.fewAnswered,
    ratingText: agg.ratingAverage !== undefined ? s.rating(agg.ratingAverage.toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB'), agg.ratingCount) : '',
    distribution,
    named: countsOnly ? [] : namedWithinBudget(strings, agg.named ?? [], labelOf, LIST_BUDGET_BYTES - ownBytes),
    unitLines: countsOnly ? unitCountLines(strings, view) : [],
    notice,
    ownAnswer: own && !showForm ? checkIn.questions.map((q) => ({ question: q.label, text: answerText(q, own.values[q.id], goalChoices) })) : [],
    form,
    problems: (viewer.problems ?? []).map((p) => `${labelOf.get(p.questionId) ?? p.questionId}: ${s.problems[p.problem] ?? p.problem}`),
    actions,
    refreshUserIds: viewer.mode === 'group' && open ? refreshUserIdsOf(group, checkIn) : [],
    labels: { answer: s.answer, send: s.send, groupAnswers: s.groupAnswers, yourAnswer: s.yourAnswer, problemsHeading: s.heading },
  });
}

/** The unit picker of a member of a group across schools whose unit is not known yet. */
function unitField(strings: Strings, group: Group, viewer: CheckInViewer, error: string): CheckInFormField {
  const submitted = viewer.input?.[UNIT_FIELD];
  return {
    id: UNIT_FIELD,
    kind: 'unit',
    label: strings.network.unitPick,
    value: submitted !== undefined ? scalarText(submitted) : '',
    required: true,
    requiredMessage: strings.groups.checkIn.problems.required ?? '',
    choices: (group.crossSchool?.units ?? []).map((u) => ({ title: u.name, value: u.id })),
    error,
  };
}

/**
 * The shared card of a group across schools in a channel: why only counts
 * are shown, and how many answered per unit (not in an anonymous group,
 * where a unit's count could tell who answered).
 */
function unitCountLines(strings: Strings, view: CheckInView): string[] {
  const { group, checkIn, answers } = view;
  if (group.privacy === 'anonymous') return [strings.network.countsOnly];
  const tallies = tallyByUnit(group, checkIn, answers, strings.network.unitUnknown);
  const parts = tallies.map((t) => strings.network.unitCount(t.name, t.answers.length, t.members)).join(' · ');
  return [strings.network.countsOnly, ...(parts ? [strings.network.unitCounts(parts)] : [])];
}

/** A named group's answers by question, as many as fit the card (each cut to a readable length), then how many more there are. */
function namedWithinBudget(
  strings: Strings,
  named: { questionId: string; entries: { name: string; text: string }[] }[],
  labelOf: Map<string, string>,
  budget: number,
): CheckInCardData['named'] {
  const questions = named
    .filter((q) => q.entries.length > 0)
    .map((q) => ({ question: labelOf.get(q.questionId) ?? q.questionId, entries: q.entries.map((e) => ({ name: e.name, text: shortened(e.text) })) }));
  const fitted = withinBudget(
    questions.map((q) => q.entries),
    (e) => entryBytes(e.name, e.text),
    budget,
  );
  const shown = questions.map((q, index) => ({ ...q, entries: fitted.lists[index] ?? [] })).filter((q) => q.entries.length > 0);
  return fitted.left > 0 ? [...shown, { question: strings.groups.moreAnswers(fitted.left), entries: [] }] : shown;
}

/** Lists of answers under headings, as many as fit the card (each cut to a readable length), then `more` saying how many are left out. */
function entriesWithinBudget<T extends { entries: string[] }>(items: T[], more: (left: number) => T, budget = LIST_BUDGET_BYTES): T[] {
  const cut = items.map((item) => ({ ...item, entries: item.entries.map((entry) => shortened(entry)) }));
  const fitted = withinBudget(
    cut.map((item) => item.entries),
    (entry) => entryBytes(entry),
    budget,
  );
  const shown = cut.map((item, index) => ({ ...item, entries: fitted.lists[index] ?? [] })).filter((item) => item.entries.length > 0);
  return fitted.left > 0 ? [...shown, more(fitted.left)] : shown;
}

/**
 * Which summary the samtalsledare gets: when the check-in closes, before a
 * meeting while the before check-in is still open (to prepare), or when it
 * closes after such an early one with answers given or changed since.
 */
export type SummaryMoment = { kind: 'closed' } | { kind: 'early'; timeZone: string } | { kind: 'update' };

/** The facilitator's picture after a check-in closes: who answered (unless anonymous), every answer by question, the rating over time. */
export function checkInSummaryCard(
  strings: Strings,
  language: Language,
  view: CheckInView,
  earlierAverages: number[],
  moment: SummaryMoment = { kind: 'closed' },
): AdaptiveCard {
  const s = strings.groups.summary;
  const { group, checkIn, answers, aggregate: agg } = view;
  const meeting = group.meetings.find((m) => m.id === checkIn.meetingId);
  const anonymous = group.privacy === 'anonymous';
  const answeredIds = new Set(answers.map((a) => a.aadObjectId));
  const notes = moment.kind === 'early' ? [s.early(formatInstant(checkIn.closesAt, language, moment.timeZone))] : moment.kind === 'update' ? [s.update] : [];
  const lines: string[] = [...notes];
  if (anonymous) lines.push(s.anonymous);
  else {
    const names = (list: { name: string }[]) =>
      list
        .map((m) => m.name)
        .sort((a, b) => a.localeCompare(b, 'sv'))
        .join(', ');
    const who = checkIn.members.filter((m) => answeredIds.has(m.aadObjectId));
    const missing = checkIn.members.filter((m) => !answeredIds.has(m.aadObjectId));
    if (who.length > 0) lines.push(s.who(names(who)));
    if (missing.length > 0) lines.push(s.missing(names(missing)));
  }
  const decimals = (n: number) => n.toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  const ratingQuestion = checkIn.questions.find((q) => q.kind === 'rating');
  const ratings = ratingQuestion ? answers.map((a) => a.values[ratingQuestion.id]).filter((v): v is number => typeof v === 'number') : [];
  if (ratings.length > 0) {
    const now = decimals(ratings.reduce((sum, n) => sum + n, 0) / ratings.length);
    lines.push(
      earlierAverages.length > 0 ? s.compare(now, decimals(earlierAverages.reduce((sum, n) => sum + n, 0) / earlierAverages.length)) : s.compareFirst(now),
    );
  }
  const sorted = sortedByName(answers);
  const unitQuestion = checkIn.questions.find((q) => q.id === UNIT_QUESTION_ID);
  const byUnit = group.crossSchool && !anonymous && unitQuestion ? tallyByUnit(group, checkIn, answers, strings.network.unitUnknown) : undefined;
  if (byUnit && unitQuestion) lines.push(strings.network.summaryIntro(unitQuestion.label));
  if (anonymous && !agg.visible) {
    // Below the threshold even the samtalsledare sees nothing that could tell who wrote what.
    return renderCheckInSummaryCard({
      title: s.title(group.name, strings.groups.phase[checkIn.phase] ?? checkIn.phase, meeting ? formatDate(meeting.date, language) : ''),
      answeredText: strings.groups.checkIn.fewAnswered,
      lines: [...notes, s.anonymous],
      questions: [],
    });
  }
  return renderCheckInSummaryCard({
    title: s.title(group.name, strings.groups.phase[checkIn.phase] ?? checkIn.phase, meeting ? formatDate(meeting.date, language) : ''),
    answeredText: s.answered(agg.answered, agg.members),
    lines,
    questions: entriesWithinBudget(
      checkIn.questions
        .filter((q) => q.kind === 'text')
        .flatMap((q) => {
          const named = (list: Answer[]) =>
            list.flatMap((a) => {
              const text = a.values[q.id];
              return typeof text === 'string' ? [`${a.name}: ${text}`] : [];
            });
          // A group across schools: what each did at their unit, per unit (not where anonymity would be lost).
          if (byUnit && q.id === UNIT_QUESTION_ID) {
            return byUnit.map((t) => ({ question: strings.network.summaryUnit(t.name, t.answers.length, t.members), entries: named(sortedByName(t.answers)) }));
          }
          // Without names, the order must not tell who wrote what either.
          return [{ question: q.label, entries: anonymous ? answersWithoutNames(checkIn, q.id, answers) : named(sorted) }];
        })
        .filter((q) => q.entries.length > 0),
      (left) => ({ question: strings.groups.moreAnswers(left), entries: [] }),
      // Who answered and who did not are named above, whole.
      LIST_BUDGET_BYTES - entryBytes(...lines),
    ),
  });
}

function sortedByName(answers: Answer[]): Answer[] {
  return [...answers].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

/**
 * A meeting's date short enough for a chart's axis at 360 px: "14/12" in
 * Swedish, "14 Dec" in English (a chart cuts "14 december 2026" to "14 dece…").
 */
function axisDate(isoDate: string, language: Language): string {
  const options: Intl.DateTimeFormatOptions = language === 'sv' ? { day: 'numeric', month: 'numeric' } : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { ...options, timeZone: 'UTC' }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** The year so far: each meeting's answer rate and usefulness, a chart, and the "what will you try" answers. */
export function learningLogCard(strings: Strings, language: Language, group: Group, schoolYear: string, views: CheckInView[]): AdaptiveCard {
  const l = strings.groups.log;
  const decimals = (n: number) => n.toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  const meetings: string[] = [];
  const chart: { x: string; y: number }[] = [];
  const plans: { date: string; entries: string[] }[] = [];
  for (const meeting of meetingsInOrder(group)) {
    const forMeeting = views.filter((v) => v.checkIn.meetingId === meeting.id);
    if (forMeeting.length === 0) continue;
    const date = formatDate(meeting.date, language);
    // Before first, then after, each named: "före: 1 av 6 · efter: 2 av 6".
    const rates = [...forMeeting]
      .sort((a, b) => PHASES.indexOf(a.checkIn.phase) - PHASES.indexOf(b.checkIn.phase))
      .map(({ checkIn, aggregate: agg }) => (agg.visible ? l.rate(checkIn.phase, agg.answered, agg.members) : l.rateHidden(checkIn.phase)))
      .join(' · ');
    const after = forMeeting.find((v) => v.checkIn.phase === 'after');
    const average = after?.aggregate.ratingAverage;
    meetings.push(l.meeting(date, rates, average !== undefined ? decimals(average) : l.noAnswers));
    if (average !== undefined) chart.push({ x: axisDate(meeting.date, language), y: average });
    const planQuestion = after?.checkIn.questions.find((q) => q.id === 'plan') ?? after?.checkIn.questions.find((q) => q.kind === 'text');
    // A group across schools in a channel: the log reaches more than the group, so counts only.
    const countsOnly = group.crossSchool !== undefined && group.conversation.kind === 'channel';
    if (after && planQuestion && after.aggregate.visible && !countsOnly) {
      // Named groups see who will try what; elsewhere the order must not tell who wrote what either.
      const entries =
        group.privacy === 'named'
          ? [...after.answers]
              .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
              .flatMap((a) => {
                const text = a.values[planQuestion.id];
                return typeof text === 'string' ? [`${a.name}: ${text}`] : [];
              })
          : answersWithoutNames(after.checkIn, planQuestion.id, after.answers);
      if (entries.length > 0) plans.push({ date, entries });
    }
  }
  return renderLearningLogCard({
    title: l.title(group.name),
    intro: l.intro(schoolYear),
    empty: meetings.length === 0 ? l.empty : '',
    meetings,
    chartTitle: l.chartTitle,
    chart,
    chartFallback: l.chartFallback(chart.map((c) => `${c.x}: ${decimals(c.y)}`).join(' · ')),
    learningLogHeading: l.learningLog,
    plans: entriesWithinBudget(plans, (left) => ({ date: strings.groups.moreAnswers(left), entries: [] })),
  });
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
