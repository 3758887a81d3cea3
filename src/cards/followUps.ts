import {
  MAX_FOLLOW_UP_TEXT,
  MAX_UNIT_CHARS,
  type Response,
  type ResponseProblem,
  type Round,
  type RoundProblem,
  type SchoolAnalysis,
} from '../domain/followUp';
import type { GoalAnalysis, RollupLine, RoundAnalysis, SchoolRollup, Stats } from '../domain/followUpAnalysis';
import { dialogueLevel } from '../domain/organisation';
import type { Language, Strings } from '../i18n';
import { formatDate } from './goalViews';
import { type AdaptiveCard, type Choice, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * The follow-up cards (adaptiveCards/followUp*.json, schoolAnalysisForm.json):
 * the owner's start form, the channel's status card (counts only), a
 * teacher's card per goal, the owner's analysis, the manager's rollup and
 * the school's written analysis. Answer text appears only on the teacher's
 * own card and on the owner's analysis, both in 1:1.
 */

/** Answers on the analysis are cut to this many characters, and at most this many per list are shown: the card stays within 40 KB. */
const SHOWN_CHARS = 300;
const SHOWN_ANSWERS = 8;

/** The round's title in the reader's language when the owner kept the suggested one. */
export function roundTitle(strings: Strings, round: Pick<Round, 'title' | 'term'>): string {
  return round.term ? strings.followUp.defaultTitle(round.term.term, round.term.year) : round.title;
}

function decimal(value: number | undefined, language: Language): string {
  if (value === undefined) return '–';
  return value.toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
}

function distributionText(stats: Stats): string {
  return stats.distribution.join(' · ');
}

/** The lines that tell a goal's numbers: count, mean and median, distribution, change since the round before. */
export function statsLines(strings: Strings, language: Language, stats: Stats, previous: Stats | undefined): string[] {
  const a = strings.followUp.analysis;
  if (stats.count === 0) return [a.noAnswers];
  const lines = [
    `${a.answers(stats.count)} · ${a.stats(decimal(stats.mean, language), decimal(stats.median, language))}`,
    a.distribution(distributionText(stats)),
  ];
  if (previous && previous.mean !== undefined && stats.mean !== undefined) {
    const delta = Math.round((stats.mean - previous.mean) * 10) / 10;
    const signed = `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${decimal(Math.abs(delta), language)}`;
    lines.push(
      a.change(
        `${decimal(previous.mean, language)} → ${decimal(stats.mean, language)}`,
        `${decimal(previous.median, language)} → ${decimal(stats.median, language)}`,
        signed,
        distributionText(previous),
      ),
    );
  }
  return lines;
}

export interface StartFormValues {
  title: string;
  dialogueId: string;
  startsOn: string;
  lastDay: string;
  reminders: boolean;
  /** Present when a målsamtal with the principals is offered: the toggle that makes the round a resultatdialog. */
  resultDialogue?: boolean | undefined;
}

export function followUpStartCard(
  strings: Strings,
  dialogues: Choice[],
  values: StartFormValues,
  today: string,
  formId: string,
  problems: RoundProblem[] = [],
): AdaptiveCard {
  const s = strings.followUp.start;
  const problem = (id: RoundProblem) => (problems.includes(id) ? s.problems[id] : '');
  return expandCard('followUpStart', {
    title: s.title,
    intro: s.intro,
    notice: problems.length > 0 ? [s.problemsIntro, ...(problems.includes('noGoals') ? [s.problems.noGoals] : [])].join(' ') : '',
    labels: {
      title: s.titleLabel,
      dialogue: s.dialogueLabel,
      startsOn: s.startsOnLabel,
      startsOnHint: s.startsOnHint,
      lastDay: s.lastDayLabel,
      reminders: s.remindersLabel,
      remindersShort: s.remindersLabel.split(' (')[0] ?? s.remindersLabel,
      resultDialogue: strings.resultDialogue.startToggle,
      resultDialogueShort: strings.resultDialogue.startToggleShort,
      submit: s.submit,
    },
    values: { ...values, reminders: String(values.reminders), resultDialogue: String(values.resultDialogue ?? false) },
    resultDialogueOffered: values.resultDialogue !== undefined,
    problems: {
      title: problem('title'),
      titleRequired: s.problems.title,
      dialogue: problem('dialogue'),
      startsOn: problem('startsOn'),
      lastDay: problem('lastDay'),
      lastDayRequired: s.problems.lastDay,
    },
    dialogues,
    today,
    formId,
    verb: VERBS.followUpStart,
  });
}

export function followUpStatusCard(strings: Strings, language: Language, round: Round, counts: { done: number; total: number }, note = ''): AdaptiveCard {
  const s = strings.followUp.status;
  return expandCard('followUpStatus', {
    title: s.title(roundTitle(strings, round)),
    lastDay: s.lastDay(formatDate(round.lastDay, language)),
    progress: s.progress(counts.done, counts.total),
    closed: round.status === 'closed',
    closedText: s.closed,
    note,
    privacy: s.privacy,
  });
}

export interface GoalCardInput {
  round: Round;
  goalNumber: number;
  goalCount: number;
  goalText: string;
  /** The school goals the teacher's goal serves, as titles. */
  serves: string[];
  response?: Response;
  /** The values as sent, when a submission comes back with problems. */
  sent?: Partial<Record<'progress' | 'worked' | 'evidence' | 'evidenceValue' | 'evidenceUnit' | 'next' | 'support', string>>;
  problems?: ResponseProblem[];
  notice?: string;
  intro?: string;
}

/** A teacher's card for one goal: the form while the round is open, her answers as facts once it is closed. */
export function followUpGoalCard(strings: Strings, language: Language, input: GoalCardInput): AdaptiveCard {
  const c = strings.followUp.card;
  const { round, response } = input;
  const problems = input.problems ?? [];
  const problem = (id: ResponseProblem) => (problems.includes(id) ? c.problems[id] : '');
  const editable = round.status === 'open';
  const values = {
    progress: input.sent?.progress ?? (response?.progress !== undefined ? String(response.progress) : ''),
    worked: input.sent?.worked ?? response?.worked ?? '',
    evidence: input.sent?.evidence ?? response?.evidence ?? '',
    evidenceValue: input.sent?.evidenceValue ?? (response?.evidenceValue !== undefined ? decimal(response.evidenceValue, language) : ''),
    evidenceUnit: input.sent?.evidenceUnit ?? response?.evidenceUnit ?? '',
    next: input.sent?.next ?? response?.next ?? '',
    support: input.sent?.support ?? response?.support ?? '',
  };
  const notice = input.notice ?? (round.status === 'closed' ? c.closed : '');
  const answers = response
    ? [
        { title: c.progressLabel, value: response.progress !== undefined ? (strings.followUp.progress[response.progress - 1] ?? '') : '–' },
        { title: c.workedLabel, value: response.worked || '–' },
        { title: c.evidenceLabel, value: [response.evidence, evidenceNumber(response, language)].filter(Boolean).join(' ') || '–' },
        { title: c.nextLabel, value: response.next || '–' },
        { title: c.supportLabel, value: response.support || '–' },
      ]
    : [{ title: c.progressLabel, value: c.notAnswered }];
  return expandCard('followUpGoal', {
    title: roundTitle(strings, round),
    heading: c.goalHeading(input.goalNumber, input.goalCount),
    goal: input.goalText,
    serves: input.serves.map((title) => `→ ${title}`),
    intro: input.intro ?? '',
    notice,
    noticeStyle: problems.length > 0 ? 'attention' : 'good',
    editable,
    labels: {
      progress: c.progressLabel,
      worked: c.workedLabel,
      evidence: c.evidenceLabel,
      evidenceValue: c.evidenceValueLabel,
      evidenceUnit: c.evidenceUnitLabel,
      next: c.nextLabel,
      support: c.supportLabel,
      save: c.save,
      confirm: c.confirm,
    },
    steps: strings.followUp.progress.map((title, index) => ({ title, value: String(index + 1) })),
    values,
    problems: {
      progress: problem('progress'),
      worked: problem('worked'),
      evidence: [problem('evidenceValue'), problem('tooLong')].filter(Boolean).join(' '),
      next: problem('next'),
    },
    limits: { text: MAX_FOLLOW_UP_TEXT, unit: MAX_UNIT_CHARS },
    verbs: { save: VERBS.followUpSave, confirm: VERBS.followUpConfirm },
    roundId: round.id,
    goalNumber: input.goalNumber,
    answers,
  });
}

function evidenceNumber(response: Pick<Response, 'evidenceValue' | 'evidenceUnit'>, language: Language): string {
  return response.evidenceValue !== undefined
    ? `(${decimal(response.evidenceValue, language)}${response.evidenceUnit ? ` ${response.evidenceUnit}` : ''})`
    : '';
}

function shown(strings: Strings, entries: { name: string; text: string }[]): string[] {
  const cut = (text: string) => (text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 1)}…` : text);
  const lines = entries.slice(0, SHOWN_ANSWERS).map((entry) => `**${entry.name}:** ${cut(entry.text)}`);
  if (entries.length > SHOWN_ANSWERS) lines.push(strings.followUp.analysis.more(entries.length - SHOWN_ANSWERS));
  return lines;
}

export interface AnalysisCardInput {
  round: Round;
  analysis: RoundAnalysis;
  written: ReadonlyMap<string, SchoolAnalysis>;
  notice?: string;
}

/** The owner's analysis, in 1:1 only: numbers per goal and one level up, the answers grouped by goal, the school's written analysis. */
export function followUpAnalysisCard(strings: Strings, language: Language, input: AnalysisCardInput): AdaptiveCard {
  const a = strings.followUp.analysis;
  const { round, analysis } = input;
  const summary = [
    a.answered(analysis.answered, analysis.total),
    ...(analysis.notAnswered.length > 0 ? [a.notAnswered(analysis.notAnswered.join(', '))] : []),
    round.status === 'closed' && round.closedAt
      ? a.closedOn(formatDate(round.closedAt.slice(0, 10), language))
      : a.openUntil(formatDate(round.lastDay, language)),
  ];
  const goals = analysis.goals.map((goal) => goalData(strings, language, round, goal, input.written.get(goal.id)));
  const upward = analysis.upward.map((line) => ({ title: line.title, lines: statsLines(strings, language, line.stats, line.previous) }));
  return expandCard('followUpAnalysis', {
    title: a.title(roundTitle(strings, round)),
    summary,
    notice: input.notice ?? '',
    labels: { perGoal: a.perGoal, upward: dialogueLevel(round) === 'organisation' ? a.upwardOrganisation : a.upwardSchool, close: a.close },
    goals,
    upward,
    canClose: round.status === 'open',
    roundId: round.id,
    verbs: { close: VERBS.followUpClose },
  });
}

function goalData(strings: Strings, language: Language, round: Round, goal: GoalAnalysis, written: SchoolAnalysis | undefined) {
  const a = strings.followUp.analysis;
  const s = strings.followUp.schoolAnalysis;
  const sections = [
    { heading: a.worked, items: shown(strings, goal.worked) },
    { heading: a.next, items: shown(strings, goal.next) },
    {
      heading: a.evidence,
      items: shown(
        strings,
        goal.evidence.map((e) => ({
          name: e.name,
          text: [e.text, evidenceNumber({ evidenceValue: e.value, evidenceUnit: e.unit }, language)].filter(Boolean).join(' '),
        })),
      ),
    },
    { heading: a.support, items: shown(strings, goal.support) },
    ...(written
      ? [{ heading: a.schoolAnalysis, items: [`**${s.shows}** ${written.shows}`, `**${s.why}** ${written.why}`, `**${s.actions}** ${written.actions}`] }]
      : []),
  ].filter((section) => section.items.length > 0);
  return {
    id: goal.id,
    title: goal.title,
    lines: [...statsLines(strings, language, goal.stats, goal.previous), a.reflections(goal.reflections)],
    sections,
    canWrite: true,
    writeLabel: written ? a.changeAnalysis : a.writeAnalysis,
    writeVerb: VERBS.schoolAnalysisEdit,
    roundId: round.id,
  };
}

/** The manager's rollup: each school's latest round and each overarching goal, numbers only. */
export function followUpRollupCard(
  strings: Strings,
  language: Language,
  rollup: { schoolYear: string; schools: SchoolRollup[]; overarching: RollupLine[] },
): AdaptiveCard {
  const r = strings.followUp.rollup;
  return expandCard('followUpRollup', {
    title: r.title(rollup.schoolYear),
    empty: rollup.schools.length === 0 ? r.none : '',
    labels: { perSchool: r.perSchool, perOverarching: r.perOverarching },
    schools: rollup.schools.map((school) => ({
      title: r.school(school.schoolName, school.roundTitle, school.answered, school.total),
      lines: statsLines(strings, language, school.stats, school.previous),
    })),
    overarching: rollup.overarching.map((line) => ({ title: line.title, lines: statsLines(strings, language, line.stats, line.previous) })),
  });
}

export function schoolAnalysisFormCard(
  strings: Strings,
  language: Language,
  input: { round: Round; goal: GoalAnalysis; current?: SchoolAnalysis; sent?: { shows: string; why: string; actions: string }; notice?: string },
): AdaptiveCard {
  const s = strings.followUp.schoolAnalysis;
  const values = input.sent ?? { shows: input.current?.shows ?? '', why: input.current?.why ?? '', actions: input.current?.actions ?? '' };
  return expandCard('schoolAnalysisForm', {
    title: s.title(input.goal.title),
    intro: input.notice ? `${input.notice} ${s.intro}` : s.intro,
    versionText: input.current ? s.version(input.current.version, formatDate(input.current.writtenAt.slice(0, 10), language)) : '',
    facts: statsLines(strings, language, input.goal.stats, input.goal.previous),
    labels: { shows: s.shows, why: s.why, actions: s.actions, save: s.save },
    values,
    limit: MAX_FOLLOW_UP_TEXT,
    verb: VERBS.schoolAnalysisSave,
    roundId: input.round.id,
    goalId: input.goal.id,
    version: input.current?.version ?? 0,
  });
}
