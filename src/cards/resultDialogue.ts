import { MAX_FOLLOW_UP_TEXT, type Round } from '../domain/followUp';
import { RESULT_QUESTIONS, type ResultAnswer, type ResultAnswerProblem, type ResultQuestion } from '../domain/resultDialogue';
import type { ResultItem, SideBySide } from '../domain/resultDialogueService';
import type { Language, Strings } from '../i18n';
import { entryBytes, LIST_BUDGET_BYTES, shortened } from './budget';
import { roundTitle } from './followUps';
import { formatDate } from './goalViews';
import { formatValue, seriesLine } from './indicatorViews';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * The resultatdialog cards (adaptiveCards/resultDialogueAnswer.json,
 * resultDialogueView.json): a principal's card per indicator of her school
 * (the school's latest value against baseline and target, and the three
 * questions), and the owner's side-by-side view, one stacked container per
 * school under each indicator, so that it reads at 360 px. Both go to 1:1
 * chats only; a channel sees counts.
 */

export interface ResultAnswerCardInput {
  round: Round;
  item: ResultItem;
  /** The indicator's place among the school's (1-based) and how many it has. */
  number: number;
  of: number;
  answer?: ResultAnswer;
  /** The texts as sent, when a submission comes back with problems. */
  sent?: Partial<Record<ResultQuestion, string>>;
  problems?: ResultAnswerProblem[];
  notice?: string;
  intro?: string;
}

function labelOf(strings: Strings, question: ResultQuestion): string {
  const c = strings.resultDialogue.card;
  return { shows: c.showsLabel, causes: c.causesLabel, actions: c.actionsLabel }[question];
}

/** The school's value against baseline and target, in one short line (the same line `resultat` shows). */
function valueLine(strings: Strings, language: Language, item: Pick<ResultItem, 'indicator' | 'series'>, label: string): string {
  return seriesLine(strings, language, item.indicator, item.series, label);
}

/** A principal's card for one indicator of her school: the form while the round is open, the school's answer once it is closed. */
export function resultAnswerCard(strings: Strings, language: Language, input: ResultAnswerCardInput): AdaptiveCard {
  const c = strings.resultDialogue.card;
  const { round, item, answer } = input;
  const problems = input.problems ?? [];
  const editable = round.status === 'open';
  const values = Object.fromEntries(RESULT_QUESTIONS.map((question) => [question, input.sent?.[question] ?? answer?.[question] ?? ''])) as Record<
    ResultQuestion,
    string
  >;
  const problemOf = (question: ResultQuestion) =>
    [
      problems.includes(question) ? c.problems[question] : '',
      problems.includes('tooLong') && values[question].length > MAX_FOLLOW_UP_TEXT ? c.problems.tooLong : '',
    ]
      .filter(Boolean)
      .join(' ');
  const notice = input.notice ?? (editable ? '' : c.closed);
  return expandCard('resultDialogueAnswer', {
    title: roundTitle(strings, round),
    heading: c.heading(item.school.name, input.number, input.of),
    indicator: item.indicator.name,
    serves: c.serves(item.goalTitle),
    facts: [valueLine(strings, language, item, item.school.name)],
    intro: input.intro ?? '',
    notice,
    noticeStyle: problems.length > 0 ? 'attention' : 'good',
    editable,
    labels: { shows: c.showsLabel, causes: c.causesLabel, actions: c.actionsLabel, save: c.save, confirm: c.confirm },
    values,
    problems: { shows: problemOf('shows'), causes: problemOf('causes'), actions: problemOf('actions') },
    limit: MAX_FOLLOW_UP_TEXT,
    verbs: { save: VERBS.resultAnswerSave, confirm: VERBS.resultAnswerConfirm },
    roundId: round.id,
    schoolId: item.school.id,
    indicatorId: item.indicator.id,
    answers: RESULT_QUESTIONS.map((question) => ({ title: labelOf(strings, question), value: answer?.[question] || c.notAnswered })),
  });
}

/**
 * An answer in the side-by-side view is cut after this many characters (a
 * word boundary, then "…"): most answers are shorter, and the rare one of
 * 2,000 characters would otherwise turn twenty schools into dozens of cards.
 */
const VIEW_ANSWER_CHARS = 1000;

interface SchoolBlock {
  value: string;
  lines: string[];
}

interface IndicatorSection {
  name: string;
  goal: string;
  target: string;
  schools: SchoolBlock[];
}

/**
 * The owner's side-by-side view, as as many cards as it takes: per
 * indicator, each school's value and its three answers (each cut after
 * VIEW_ANSWER_CHARS), or that it has not answered. The schools' blocks are
 * laid out in order and a new card begins when the next block would pass
 * LIST_BUDGET_BYTES, so every card stays within 40 KB however many schools
 * there are; an indicator that continues on the next card repeats its name.
 */
export function resultDialogueViewCards(strings: Strings, language: Language, view: SideBySide): AdaptiveCard[] {
  const v = strings.resultDialogue.view;
  const summary = [
    v.answered(view.answered, view.total),
    ...(view.notAnswered.length > 0
      ? [v.notAnswered(view.notAnswered.map((entry) => v.schoolWithPrincipals(entry.school.name, entry.principals.join(', '))).join('; '))]
      : []),
    view.round.status === 'closed' && view.round.closedAt
      ? strings.followUp.analysis.closedOn(formatDate(view.round.closedAt.slice(0, 10), language))
      : strings.followUp.analysis.openUntil(formatDate(view.round.lastDay, language)),
  ];
  const pages: IndicatorSection[][] = [[]];
  let spent = summary.reduce((sum, line) => sum + entryBytes(line), 0);
  for (const entry of view.indicators) {
    const { indicator } = entry;
    const header = {
      name: indicator.name,
      goal: strings.resultDialogue.card.serves(entry.goalTitle),
      target: v.target(formatValue(indicator.target.value, indicator.unit, language), formatDate(indicator.target.date, language), indicator.direction),
    };
    const headerBytes = entryBytes(header.name, header.goal, header.target);
    let section: IndicatorSection | undefined;
    for (const school of entry.schools) {
      const block: SchoolBlock = {
        value: valueLine(strings, language, { indicator, series: school.series }, school.school.name),
        lines: school.answer
          ? [
              ...RESULT_QUESTIONS.map((question) => `**${labelOf(strings, question)}** ${shortened(school.answer![question], VIEW_ANSWER_CHARS)}`),
              v.writtenBy(school.answer.writtenBy.name),
            ]
          : [v.noAnswer],
      };
      const bytes = entryBytes(block.value, ...block.lines) + block.lines.length * 64;
      const page = pages[pages.length - 1]!;
      if (section && spent + bytes > LIST_BUDGET_BYTES && page.length > 0) {
        pages.push([]);
        section = undefined;
        spent = 0;
      }
      if (!section) {
        section = { ...header, schools: [] };
        pages[pages.length - 1]!.push(section);
        spent += headerBytes;
      }
      section.schools.push(block);
      spent += bytes;
    }
  }
  const title = v.title(roundTitle(strings, view.round));
  return pages.map((indicators, index) =>
    expandCard('resultDialogueView', {
      title,
      page: pages.length > 1 ? v.page(index + 1, pages.length) : '',
      summary: index === 0 ? summary : [],
      indicators,
    }),
  );
}
