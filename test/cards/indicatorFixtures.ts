/**
 * The result cards with realistic data, every state in one language:
 * a school's results, the organisation's with schools side by side (and
 * one with so many schools that charts give way to text), the measurement
 * form (all series, one series with its history, a correction, refused
 * values) and the principal's indicator form. test/cards/fixtures.ts
 * gathers them with the others.
 */
import { CHANNEL_VIEWER, indicatorFormCard, recordFormCard, resultsCard, type ResultsViewer } from '../../src/cards/indicatorViews';
import type { AdaptiveCard } from '../../src/cards/render';
import type { IndicatorResult, RecordTarget } from '../../src/domain/indicatorService';
import type { Indicator, Measurement } from '../../src/domain/indicators';
import { type Language, stringsFor } from '../../src/i18n';

const SCHOOLS = [
  { id: 'angsskolan', name: 'Ängsskolan F–9' },
  { id: 'norrskolan', name: 'Norrskolan 7–9' },
  { id: 'bergaskolan', name: 'Bergaskolan F–6' },
];

/** An indicator of an overarching goal, per school, with a baseline of June 2024 (`extra` overrides). */
export const indicator = (id: string, name: string, unit: string, baseline: number, target: number, extra: Partial<Indicator> = {}): Indicator => ({
  id,
  name,
  unit,
  direction: 'higher',
  goal: { level: 'overarching', goalId: 'resultat' },
  perSchool: true,
  baseline: { value: baseline, date: '2024-06-15' },
  target: { value: target, date: '2028-06-15' },
  schoolBaselines: {},
  version: 0,
  updatedAt: '',
  updatedBy: 'organisation file',
  ...extra,
});

const behoriga = indicator('behoriga', 'Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram', '%', 82, 90);
const trygghet = indicator('trygghet', 'Andel elever som känner sig trygga i skolan (elevenkäten)', '%', 85, 95);
const merit = indicator('merit', 'Genomsnittligt meritvärde i åk 9', 'poäng', 224, 235);
const e6 = indicator('e-ak6', 'Andel elever i åk 6 med lägst E i svenska och matematik', '%', 79, 88, {
  goal: { level: 'school', schoolId: 'angsskolan', goalId: 'las' },
  perSchool: false,
  version: 2,
});

function measurements(indicatorId: string, unitId: string, values: number[], from = 2024): Measurement[] {
  return values.map((value, i) => ({
    indicatorId,
    unitId,
    id: `20${String(from + i).slice(2)}0615-00000000${String(i).padStart(2, '0')}`,
    value,
    // Twice a läsår: January and June.
    date: `${from + Math.ceil(i / 2)}-${i % 2 ? '01' : '06'}-15`,
    comment: i === values.length - 1 ? 'Vårterminens betyg, 112 elever' : '',
    version: 1,
    recordedAt: '2027-06-16T08:00:00.000Z',
    recordedBy: 'aad-rektor',
  }));
}

function series(ind: Indicator, unit: { id: string; name: string }, values: number[]) {
  return { unitId: unit.id, unitName: unit.name, baseline: ind.baseline, measurements: measurements(ind.id, unit.id, values) };
}

const school = SCHOOLS[0]!;
const schoolResults: IndicatorResult[] = [
  { indicator: behoriga, goalTitle: 'Förbättrade resultat – fler elever behöriga till gymnasiet', series: [series(behoriga, school, [83, 84.5, 86])] },
  {
    indicator: trygghet,
    goalTitle: 'En skola där alla kan och vill vara – trygghet',
    series: [series(trygghet, school, [86, 84, 88, 89, 91, 90, 92])],
  },
  { indicator: merit, goalTitle: 'Förbättrade resultat – fler elever behöriga till gymnasiet', series: [series(merit, school, [])] },
];
const ownResults: IndicatorResult[] = [
  { indicator: e6, goalTitle: 'Fler elever når kunskapskraven i svenska och matematik i åk 6', series: [series(e6, school, [81, 83])] },
];

function organisationResults(schools: { id: string; name: string }[]): IndicatorResult[] {
  return [behoriga, trygghet, merit].map((ind, n) => ({
    indicator: ind,
    goalTitle: 'Förbättrade resultat – fler elever behöriga till gymnasiet',
    series: schools.map((unit, i) => series(ind, unit, n === 2 && i === 1 ? [] : [ind.baseline.value + (i % 5), ind.baseline.value + (i % 7) + 1])),
  }));
}

const principal: ResultsViewer = {
  recordable: new Set(['behoriga|angsskolan', 'trygghet|angsskolan', 'merit|angsskolan', 'e-ak6|angsskolan']),
  editable: new Set(['e-ak6']),
  addTo: 'angsskolan',
};

const target = (ind: Indicator, unit: { id: string; name: string }): RecordTarget => ({ indicator: ind, unitId: unit.id, unitName: unit.name });

export function indicatorSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const r = strings.indicators.results;
  const sections = [
    { heading: r.overarching, results: schoolResults },
    { heading: r.school(school.name), results: ownResults },
  ];
  const many = Array.from({ length: 30 }, (_, i) => ({ id: `skola-${i}`, name: `${['Ängs', 'Norr', 'Berga', 'Sjö', 'Skogs'][i % 5]}skolan ${i + 1}` }));
  const targets = [target(behoriga, school), target(trygghet, school), target(merit, school), target(e6, school)];
  const history = measurements('e-ak6', school.id, [81, 83]);
  const goals = [
    { id: 'las', title: 'Fler elever når kunskapskraven i svenska och matematik i åk 6' },
    { id: 'studiero', title: 'Alla elever upplever studiero och trygghet i klassrummet' },
  ];
  return [
    {
      template: 'indicatorResults',
      state: 'school-principal',
      card: resultsCard(strings, language, { title: r.title(school.name), sections, viewer: principal }),
    },
    {
      template: 'indicatorResults',
      state: 'school-channel',
      card: resultsCard(strings, language, { title: r.title(school.name), sections, viewer: CHANNEL_VIEWER }),
    },
    {
      template: 'indicatorResults',
      state: 'organisation',
      card: resultsCard(strings, language, {
        title: r.title('Exempelkommun grundskola'),
        sections: [{ heading: r.overarching, results: organisationResults(SCHOOLS) }, ...sections.slice(1)],
        viewer: { recordable: new Set(['behoriga|norrskolan']), editable: new Set() },
        notice: { text: strings.indicators.record.recorded('Andel elever i åk 9 som är behöriga · Norrskolan 7–9: 86 %'), good: true },
      }),
    },
    {
      template: 'indicatorResults',
      state: 'organisation-30-schools',
      card: resultsCard(strings, language, {
        title: r.title('Exempelkommun grundskola'),
        sections: [{ heading: r.overarching, results: organisationResults(many) }],
        viewer: CHANNEL_VIEWER,
      }),
    },
    {
      template: 'indicatorResults',
      state: 'none',
      card: resultsCard(strings, language, { title: r.title(school.name), sections: [], viewer: CHANNEL_VIEWER }),
    },
    {
      template: 'indicatorRecord',
      state: 'all-series',
      card: recordFormCard(strings, language, { targets, history: [], formId: '20270620-0123456789', today: '2027-06-20' }),
    },
    {
      template: 'indicatorRecord',
      state: 'one-series-with-history',
      card: recordFormCard(strings, language, { targets: [target(e6, school)], history, formId: '20270620-0123456789', today: '2027-06-20' }),
    },
    {
      template: 'indicatorRecord',
      state: 'correction',
      card: recordFormCard(strings, language, {
        targets: [target(e6, school)],
        history,
        correcting: history[1],
        formId: '20270620-0123456789',
        today: '2027-06-20',
      }),
    },
    {
      template: 'indicatorRecord',
      state: 'refused',
      card: recordFormCard(strings, language, {
        targets,
        history: [],
        values: { target: 'behoriga|angsskolan', value: 'åttiosex', date: '2027-08-01', comment: '' },
        problems: { value: 'notNumber', date: 'future' },
        formId: '20270620-0123456789',
        today: '2027-06-20',
      }),
    },
    { template: 'indicatorForm', state: 'new', card: indicatorFormCard(strings, language, { school, goals, formId: '20270620-0123456789' }) },
    {
      template: 'indicatorForm',
      state: 'refused',
      card: indicatorFormCard(strings, language, {
        school,
        goals,
        editing: e6,
        values: {
          goal: 'las',
          name: e6.name,
          unit: '%',
          direction: 'higher',
          baselineValue: '79',
          baselineDate: '2026-06-15',
          targetValue: '120',
          targetDate: '2026-01-01',
        },
        problems: { targetValue: 'outOfRange', targetDate: 'targetBeforeBaseline' },
        formId: '20270620-0123456789',
      }),
    },
  ];
}
