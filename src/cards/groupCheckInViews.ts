import type { Answer, AnswerProblem, CheckIn, Group, Question } from '../domain/learningGroup';
import { answersWithoutNames, meetingsInOrder, PHASES } from '../domain/learningGroup';
import type { CheckInView } from '../domain/learningGroupService';
import { scalarText } from '../domain/learningGroupForms';
import { knownUnit, tallyByUnit, UNIT_FIELD, UNIT_QUESTION_ID } from '../domain/learningGroupNetwork';
import type { Language, Strings } from '../i18n';
import { localDateOf, localTimeOf } from '../time';
import { entryBytes, LIST_BUDGET_BYTES, shortened, withinBudget } from './budget';
import { formatDate } from './goalViews';
import { type CheckInCardData, type CheckInFormField, renderCheckInCard, renderCheckInSummaryCard, renderLearningLogCard } from './groups';
import { type AdaptiveCard, type Choice, MAX_REFRESH_USERS } from './render';
import { VERBS } from './verbs';

/**
 * A learning group's check-ins as cards: the check-in itself (the group's
 * shared view and each person's own), the samtalsledare's summary after it
 * closes, and the year's learning log.
 */

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
