import { type AdaptiveCard, type Choice, expandCard } from './render';
import { VERBS } from './verbs';

/** Typed renders of the result cards (adaptiveCards/indicatorResults.json, indicatorRecord.json, indicatorForm.json). */

/** A button of a card: what it says, its verb, and its data. */
export interface CardButton {
  title: string;
  verb: string;
  data: Record<string, string | number>;
}

/** One cell of the fallback table, a header cell in bold. */
export interface TableCell {
  text: string;
  bold: boolean;
}

export interface ChartSeries {
  legend: string;
  values: { x: string; y: number }[];
}

export interface IndicatorBlock {
  name: string;
  goal: string;
  /** One short line per series: value, target, baseline, trend. Always shown. */
  lines: string[];
  /** 'line': one series over time; 'grouped': schools side by side; '': text only. */
  chartKind: 'line' | 'grouped' | '';
  chartTitle: string;
  chartSeries: ChartSeries[];
  /** The chart's fallback: a table of the same numbers, for clients that draw no charts. */
  table: { cells: TableCell[] }[];
  buttons: CardButton[];
}

export interface ResultsCardData {
  title: string;
  intro: string;
  notice: string;
  noticeGood: boolean;
  sections: { heading: string; indicators: IndicatorBlock[] }[];
  /** Said when indicators had to lose their charts to keep the card within its budget. */
  textOnly: string;
  labels: { none: string };
  actions: CardButton[];
}

export function renderResultsCard(data: ResultsCardData): AdaptiveCard {
  return expandCard('indicatorResults', data);
}

export interface RecordCardData {
  title: string;
  intro: string;
  notice: string;
  noticeGood: boolean;
  /** One series, named; otherwise a choice among `targets`. */
  fixed: boolean;
  targetName: string;
  targets: Choice[];
  values: { target: string; value: string; date: string; comment: string };
  problems: Record<'target' | 'value' | 'date' | 'comment', string>;
  /** Today in the school's time zone: the date picker's last day. */
  today: string;
  commentMax: number;
  history: { text: string; indicatorId: string; unitId: string; measurementId: string }[];
  labels: {
    target: string;
    targetRequired: string;
    value: string;
    valuePlaceholder: string;
    valueRequired: string;
    date: string;
    dateRequired: string;
    comment: string;
    commentPlaceholder: string;
    history: string;
    correct: string;
    save: string;
    cancel: string;
  };
  /** What the save carries besides the inputs: the form's id, and the series or measurement it is fixed to. */
  saveData: Record<string, string | number>;
}

export function renderRecordCard(data: RecordCardData): AdaptiveCard {
  return expandCard('indicatorRecord', { ...data, verbs: { save: VERBS.resultsSave, show: VERBS.resultsShow, record: VERBS.resultsRecord } });
}

export type IndicatorFormField = 'goal' | 'name' | 'unit' | 'direction' | 'baselineValue' | 'baselineDate' | 'targetValue' | 'targetDate';

export interface IndicatorFormCardData {
  title: string;
  intro: string;
  notice: string;
  goals: Choice[];
  values: Record<IndicatorFormField, string>;
  problems: Record<IndicatorFormField, string>;
  limits: { name: number; unit: number };
  labels: {
    goal: string;
    goalRequired: string;
    name: string;
    namePlaceholder: string;
    nameRequired: string;
    unit: string;
    unitPlaceholder: string;
    unitRequired: string;
    direction: string;
    higher: string;
    lower: string;
    directionRequired: string;
    baselineValue: string;
    baselineDate: string;
    targetValue: string;
    targetDate: string;
    valueRequired: string;
    dateRequired: string;
    save: string;
    cancel: string;
  };
  saveData: Record<string, string | number>;
}

export function renderIndicatorFormCard(data: IndicatorFormCardData): AdaptiveCard {
  return expandCard('indicatorForm', { ...data, verbs: { save: VERBS.indicatorSave, show: VERBS.resultsShow } });
}
