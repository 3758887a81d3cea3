import type { IndicatorResult, IndicatorSeries, RecordTarget } from '../domain/indicatorService';
import {
  INDICATOR_LIMITS,
  type Indicator,
  type IndicatorField,
  type IndicatorProblem,
  type Measurement,
  type MeasurementField,
  movement,
  type Problems,
  reachesTarget,
  targetKey,
} from '../domain/indicators';
import type { Language, Strings } from '../i18n';
import { formatDate } from './goalViews';
import { type CardButton, type IndicatorBlock, renderIndicatorFormCard, renderRecordCard, renderResultsCard, type TableCell } from './indicators';
import { noAccidentalList } from './markdown';
import type { AdaptiveCard } from './render';
import { VERBS } from './verbs';

/**
 * From indicators and their series to the result cards. Every indicator
 * gets a short text line per series (read by everyone, whatever the client
 * draws) and a chart: one series over time as Chart.Line, schools side by
 * side as Chart.VerticalBar.Grouped, each with a table of the same numbers
 * as its fallback. Only aggregate numbers: these cards may be shown in a
 * channel.
 */

/** A card's budget is 40 KB; charts are left out, last first, while the card is larger than this. */
export const RESULTS_CARD_MAX_BYTES = 38 * 1024;
/** The points of a series a chart shows: the baseline and the newest measurements. */
export const MAX_CHART_POINTS = 12;
/** The measurements the form lists for correcting, newest first. */
export const MAX_HISTORY = 10;

export interface Notice {
  text: string;
  good: boolean;
}

const NO_BREAK_SPACE = '\u00a0';

/** "86,5 %" in Swedish, "86.5%" in English; other units after a no-break space. */
export function formatValue(value: number, unit: string, language: Language): string {
  const number = value.toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  return unit === '%' && language === 'en' ? `${number}%` : `${number}${NO_BREAK_SPACE}${unit}`;
}

/** "juni 2027" / "Jun 2027": short enough for a chart's axis at 360 px. */
export function formatMonth(isoDate: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${isoDate.slice(0, 10)}T12:00:00Z`),
  );
}

function trendOf(strings: Strings, indicator: Indicator, series: IndicatorSeries): string {
  const { measurements } = series;
  const latest = measurements[measurements.length - 1]!;
  const previous = measurements.length > 1 ? measurements[measurements.length - 2]!.value : series.baseline.value;
  const arrow = { up: '↑', down: '↓', level: '→' }[movement(previous, latest.value)];
  return reachesTarget(indicator, latest.value) ? `${arrow}, ${strings.indicators.results.reached}` : arrow;
}

/** The line every indicator gets per series, e.g. "Behöriga till gymnasiet: 86 % i juni 2027 (mål 90 %, utgångsläge 82 %), ↑". */
export function seriesLine(strings: Strings, language: Language, indicator: Indicator, series: IndicatorSeries, label: string): string {
  const r = strings.indicators.results;
  const target = formatValue(indicator.target.value, indicator.unit, language);
  const baseline = formatValue(series.baseline.value, indicator.unit, language);
  const latest = series.measurements[series.measurements.length - 1];
  if (!latest) return noAccidentalList(r.noValue(label, target, baseline));
  const value = formatValue(latest.value, indicator.unit, language);
  return noAccidentalList(r.line(label, value, formatMonth(latest.date, language), target, baseline, trendOf(strings, indicator, series)));
}

/** Axis labels: the month, or the whole date where two points share a month. */
function axisLabels(dates: string[], language: Language): string[] {
  const months = dates.map((date) => formatMonth(date, language));
  return months.map((month, i) => (months.indexOf(month) !== months.lastIndexOf(month) ? formatDate(dates[i]!, language) : month));
}

const row = (texts: string[], bold = false): { cells: TableCell[] } => ({ cells: texts.map((text) => ({ text, bold })) });

function lineChart(
  strings: Strings,
  language: Language,
  indicator: Indicator,
  series: IndicatorSeries,
): Pick<IndicatorBlock, 'chartKind' | 'chartTitle' | 'chartSeries' | 'table'> {
  const r = strings.indicators.results;
  const shown = series.measurements.slice(-(MAX_CHART_POINTS - 1));
  const points = [series.baseline, ...shown];
  const labels = axisLabels(
    points.map((point) => point.date),
    language,
  );
  const value = (n: number) => formatValue(n, indicator.unit, language);
  return {
    // A baseline alone draws no line: the text line says it all.
    chartKind: shown.length > 0 ? 'line' : '',
    chartTitle: `${indicator.name} (${indicator.unit})`,
    chartSeries: [
      { legend: r.series.result, values: points.map((point, i) => ({ x: labels[i]!, y: point.value })) },
      { legend: r.series.target, values: labels.map((x) => ({ x, y: indicator.target.value })) },
    ],
    table: [
      row([r.table.date, r.table.value], true),
      row([r.baselineRow(formatDate(series.baseline.date, language)), value(series.baseline.value)]),
      ...shown.map((m) => row([formatDate(m.date, language), value(m.value)])),
      row([r.targetRow(formatDate(indicator.target.date, language)), value(indicator.target.value)]),
    ],
  };
}

function groupedChart(
  strings: Strings,
  language: Language,
  indicator: Indicator,
  all: IndicatorSeries[],
): Pick<IndicatorBlock, 'chartKind' | 'chartTitle' | 'chartSeries' | 'table'> {
  const r = strings.indicators.results;
  const measured = all.filter((series) => series.measurements.length > 0);
  const latest = (series: IndicatorSeries) => series.measurements[series.measurements.length - 1]!.value;
  const value = (n: number) => formatValue(n, indicator.unit, language);
  return {
    // Schools without a result are in the lines and the table, not among the bars (a bar of 0 would mislead).
    chartKind: measured.length > 0 ? 'grouped' : '',
    chartTitle: `${indicator.name} (${indicator.unit})`,
    chartSeries: [
      { legend: r.series.baseline, values: measured.map((series) => ({ x: series.unitName, y: series.baseline.value })) },
      { legend: r.series.latest, values: measured.map((series) => ({ x: series.unitName, y: latest(series) })) },
      { legend: r.series.target, values: measured.map((series) => ({ x: series.unitName, y: indicator.target.value })) },
    ],
    table: [
      row([r.table.school, r.table.latest, r.table.baseline, r.table.target], true),
      ...all.map((series) =>
        row([series.unitName, series.measurements.length > 0 ? value(latest(series)) : '–', value(series.baseline.value), value(indicator.target.value)]),
      ),
    ],
  };
}

/** What the viewer may do from the results card; nothing in a channel. */
export interface ResultsViewer {
  /** Target keys ("indicator|unit") of the series the viewer may record. */
  recordable: ReadonlySet<string>;
  /** Ids of the indicators the viewer may change (added in Teams to their school's goals). */
  editable: ReadonlySet<string>;
  /** The school the viewer may add an indicator to, on this card. */
  addTo?: string;
}

export const CHANNEL_VIEWER: ResultsViewer = { recordable: new Set(), editable: new Set() };

function block(strings: Strings, language: Language, result: IndicatorResult, viewer: ResultsViewer): IndicatorBlock {
  const { indicator, series } = result;
  const r = strings.indicators.results;
  const single = series.length === 1;
  const lines = series.map((entry) => seriesLine(strings, language, indicator, entry, single ? indicator.name : entry.unitName));
  const chart = single ? lineChart(strings, language, indicator, series[0]!) : groupedChart(strings, language, indicator, series);
  const recordable = series.filter((entry) => viewer.recordable.has(targetKey(indicator.id, entry.unitId)));
  const buttons: CardButton[] = [];
  if (recordable.length > 0) buttons.push({ title: r.recordThis, verb: VERBS.resultsRecord, data: { indicatorId: indicator.id } });
  if (viewer.editable.has(indicator.id)) buttons.push({ title: r.edit, verb: VERBS.indicatorEdit, data: { indicatorId: indicator.id } });
  return { name: noAccidentalList(indicator.name), goal: noAccidentalList(r.goal(result.goalTitle)), lines, ...chart, buttons };
}

/** The results card: sections of indicators, each with its lines and chart; charts dropped from the end while it is too large. */
export function resultsCard(
  strings: Strings,
  language: Language,
  options: { title: string; sections: { heading: string; results: IndicatorResult[] }[]; viewer: ResultsViewer; notice?: Notice },
): AdaptiveCard {
  const r = strings.indicators.results;
  const { viewer } = options;
  const sections = options.sections
    .filter((section) => section.results.length > 0)
    .map((section) => ({ heading: section.heading, indicators: section.results.map((result) => block(strings, language, result, viewer)) }));
  const actions: CardButton[] = [];
  if (viewer.recordable.size > 0) actions.push({ title: r.record, verb: VERBS.resultsRecord, data: {} });
  if (viewer.addTo) actions.push({ title: r.add, verb: VERBS.indicatorEdit, data: { schoolId: viewer.addTo } });
  const data = {
    title: options.title,
    intro: r.intro,
    notice: options.notice?.text ?? '',
    noticeGood: options.notice?.good ?? true,
    sections,
    textOnly: '',
    labels: { none: r.none },
    actions,
  };
  let card = renderResultsCard(data);
  const charted = sections.flatMap((section) => section.indicators).filter((entry) => entry.chartKind !== '');
  let dropped = 0;
  while (Buffer.byteLength(JSON.stringify(card), 'utf8') > RESULTS_CARD_MAX_BYTES && dropped < charted.length) {
    const entry = charted[charted.length - 1 - dropped]!;
    Object.assign(entry, { chartKind: '', chartSeries: [], table: [] });
    dropped++;
    card = renderResultsCard({ ...data, textOnly: r.textOnly(dropped) });
  }
  return card;
}

function problemText(strings: Strings, problem: IndicatorProblem | undefined, unit: string, plan: boolean): string {
  if (!problem) return '';
  const p = strings.indicators.problems;
  if (problem === 'outOfRange') return p.outOfRange(unit);
  if (problem === 'tooLong') return p.tooLong(INDICATOR_LIMITS.comment);
  if (problem === 'future' && plan) return p.futurePlan;
  return p[problem];
}

export interface RecordFormOptions {
  /** The series the person may choose among; one alone is fixed. */
  targets: RecordTarget[];
  /** The fixed series' measurements, to correct one (only with one target). */
  history: Measurement[];
  /** The measurement being corrected. */
  correcting?: Measurement;
  values?: Record<MeasurementField, string>;
  problems?: Problems<MeasurementField>;
  formId: string;
  today: string;
  notice?: Notice;
}

function targetName(target: RecordTarget): string {
  return `${target.indicator.name} · ${target.unitName}`;
}

/** The form to record (or correct) a measurement. */
export function recordFormCard(strings: Strings, language: Language, options: RecordFormOptions): AdaptiveCard {
  const f = strings.indicators.record;
  const { targets, correcting } = options;
  const fixed = targets.length === 1 ? targets[0] : undefined;
  const chosen = options.values?.target ?? (fixed ? targetKey(fixed.indicator.id, fixed.unitId) : '');
  const unit = targets.find((target) => targetKey(target.indicator.id, target.unitId) === chosen)?.indicator.unit ?? fixed?.indicator.unit;
  const values = options.values ?? {
    target: chosen,
    value: correcting ? String(correcting.value).replace('.', language === 'sv' ? ',' : '.') : '',
    date: correcting?.date ?? options.today,
    comment: correcting?.comment ?? '',
  };
  const problems = options.problems ?? {};
  const hasProblems = Object.keys(problems).length > 0;
  const saveData: Record<string, string | number> = { formId: options.formId };
  if (fixed) saveData.target = targetKey(fixed.indicator.id, fixed.unitId);
  if (correcting) Object.assign(saveData, { measurementId: correcting.id, version: correcting.version });
  const history = fixed && !correcting ? [...options.history].reverse().slice(0, MAX_HISTORY) : [];
  return renderRecordCard({
    title: correcting ? f.correctTitle : f.title,
    intro: correcting ? f.correctIntro : f.intro,
    notice: options.notice?.text ?? (hasProblems ? strings.indicators.problems.heading : ''),
    noticeGood: options.notice?.good ?? false,
    fixed: fixed !== undefined,
    targetName: fixed ? noAccidentalList(targetName(fixed)) : '',
    targets: targets.map((target) => ({ title: targetName(target), value: targetKey(target.indicator.id, target.unitId) })),
    values,
    problems: {
      target: problemText(strings, problems.target, '', false),
      value: problemText(strings, problems.value, unit ?? '', false),
      date: problemText(strings, problems.date, '', false),
      comment: problemText(strings, problems.comment, '', false),
    },
    today: options.today,
    commentMax: INDICATOR_LIMITS.comment,
    history: history.map((m) => ({
      text: noAccidentalList(f.historyEntry(formatDate(m.date, language), formatValue(m.value, fixed!.indicator.unit, language), m.comment)),
      indicatorId: m.indicatorId,
      unitId: m.unitId,
      measurementId: m.id,
    })),
    labels: {
      target: f.targetLabel,
      targetRequired: f.targetRequired,
      value: unit ? f.valueLabel(unit) : f.valueLabelAny,
      valuePlaceholder: f.valuePlaceholder,
      valueRequired: f.valueRequired,
      date: f.dateLabel,
      dateRequired: f.dateRequired,
      comment: f.commentLabel,
      commentPlaceholder: f.commentPlaceholder,
      history: f.history,
      correct: f.correct,
      save: f.save,
      cancel: f.cancel,
    },
    saveData,
  });
}

export interface IndicatorFormOptions {
  school: { id: string; name: string };
  goals: { id: string; title: string }[];
  /** The indicator being changed (added in Teams before). */
  editing?: Indicator;
  values?: Record<IndicatorField, string>;
  problems?: Problems<IndicatorField>;
  formId: string;
  notice?: string;
}

/** The principal's form for an indicator of one of the school's goals. */
export function indicatorFormCard(strings: Strings, language: Language, options: IndicatorFormOptions): AdaptiveCard {
  const d = strings.indicators.define;
  const { editing, school } = options;
  const number = (n: number | undefined) => (n === undefined ? '' : String(n).replace('.', language === 'sv' ? ',' : '.'));
  const values = options.values ?? {
    goal: editing?.goal.goalId ?? (options.goals.length === 1 ? options.goals[0]!.id : ''),
    name: editing?.name ?? '',
    unit: editing?.unit ?? '',
    direction: editing?.direction ?? 'higher',
    baselineValue: number(editing?.baseline.value),
    baselineDate: editing?.baseline.date ?? '',
    targetValue: number(editing?.target.value),
    targetDate: editing?.target.date ?? '',
  };
  const problems = options.problems ?? {};
  const fields = ['goal', 'name', 'unit', 'direction', 'baselineValue', 'baselineDate', 'targetValue', 'targetDate'] as const;
  const messages = Object.fromEntries(
    fields.map((field) => {
      const problem = problems[field];
      const text =
        problem === 'tooLong'
          ? strings.indicators.problems.tooLong(INDICATOR_LIMITS[field as 'name' | 'unit'])
          : problemText(strings, problem, values.unit, true);
      return [field, text];
    }),
  ) as Record<IndicatorField, string>;
  const saveData: Record<string, string | number> = { schoolId: school.id, formId: options.formId };
  if (editing) Object.assign(saveData, { indicatorId: editing.id, version: editing.version });
  const hasProblems = Object.keys(problems).length > 0;
  return renderIndicatorFormCard({
    title: editing ? d.editTitle(school.name) : d.title(school.name),
    intro: options.goals.length === 0 ? d.noGoals : d.intro,
    notice: options.notice ?? (hasProblems ? strings.indicators.problems.heading : ''),
    goals: options.goals.map((goal) => ({ title: goal.title, value: goal.id })),
    values,
    problems: messages,
    limits: { name: INDICATOR_LIMITS.name, unit: INDICATOR_LIMITS.unit },
    labels: {
      goal: d.goalLabel,
      goalRequired: d.goalRequired,
      name: d.nameLabel,
      namePlaceholder: d.namePlaceholder,
      nameRequired: d.nameRequired,
      unit: d.unitLabel,
      unitPlaceholder: d.unitPlaceholder,
      unitRequired: d.unitRequired,
      direction: d.directionLabel,
      higher: d.higher,
      lower: d.lower,
      directionRequired: d.directionRequired,
      baselineValue: d.baselineValueLabel,
      baselineDate: d.baselineDateLabel,
      targetValue: d.targetValueLabel,
      targetDate: d.targetDateLabel,
      valueRequired: d.valueRequired,
      dateRequired: d.dateRequired,
      save: d.save,
      cancel: d.cancel,
    },
    saveData,
  });
}
