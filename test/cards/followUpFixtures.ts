/**
 * The follow-up cards with realistic data, every state in one language:
 * the start form (fresh and with problems), the status card (open and
 * closed), a teacher's goal card (empty, a confirmed answer, with problems,
 * closed), the owner's analysis (a school of five, and the largest a school
 * makes: 80 teachers with long answers, which must stay within 40 KB), the
 * manager's rollup and the school's analysis form. test/cards/fixtures.ts
 * gathers them with the others.
 */
import {
  followUpAnalysisCard,
  followUpGoalCard,
  followUpRollupCard,
  followUpStartCard,
  followUpStatusCard,
  schoolAnalysisFormCard,
} from '../../src/cards/followUps';
import type { AdaptiveCard } from '../../src/cards/render';
import { MAX_FOLLOW_UP_TEXT, type Response, type Round, type SchoolAnalysis } from '../../src/domain/followUp';
import { analyseRound, rollUp } from '../../src/domain/followUpAnalysis';
import { type Language, stringsFor } from '../../src/i18n';

const GOALS = [
  { id: 'studiero', title: 'Alla elever upplever studiero och trygghet i klassrummet', serves: ['trygghet'] },
  { id: 'las-och-skriv', title: 'Fler elever når kunskapskraven i svenska och matematik i åk 6', serves: ['resultat'] },
];
const UPWARD = new Map([
  ['trygghet', 'En skola där alla kan och vill vara – trygghet'],
  ['resultat', 'Förbättrade resultat – fler elever behöriga till gymnasiet'],
]);
const NAMES = ['Anna Lind', 'Bo Ek', 'Cecilia Ask', 'David Gran', 'Eva Alm'];

function roundOf(people: string[], overrides: Partial<Round> = {}): Round {
  return {
    id: '20270203-70a14eb793',
    tenantId: 'tenant',
    dialogueId: 'dlg-ht26',
    schoolId: 'exempelskolan',
    schoolYear: '2026-27',
    title: 'Uppföljning VT 2027',
    term: { term: 'VT', year: 2027 },
    lastDay: '2027-02-09',
    reminders: true,
    status: 'open',
    owner: { aadObjectId: 'aad-rut', userId: '29:rut', name: 'Rut Rektorsson' },
    participants: people.map((name, i) => ({
      aadObjectId: `aad-${i}`,
      userId: `29:${i}`,
      name,
      goals: [{ number: 1, schoolGoalIds: [GOALS[i % 2]!.id] }],
    })),
    createdAt: '2027-02-03T08:00:00.000Z',
    openedAt: '2027-02-03T08:00:01.000Z',
    ...overrides,
  };
}

function responseOf(round: Round, index: number, progress: number, long = false): Response {
  const words = (text: string) => (long ? `${text} `.repeat(Math.ceil(MAX_FOLLOW_UP_TEXT / (text.length + 1))).slice(0, MAX_FOLLOW_UP_TEXT) : text);
  const person = round.participants[index]!;
  return {
    roundId: round.id,
    aadObjectId: person.aadObjectId,
    name: person.name,
    goalNumber: 1,
    progress,
    worked: words('Lugna starter med dagens mål på tavlan och en kort repetition'),
    evidence: words('Fler elever kommer igång inom fem minuter'),
    evidenceValue: 18,
    evidenceUnit: 'av 24 elever',
    next: words('Exit tickets varje fredag och samtal i par innan helklass'),
    support: index % 2 === 0 ? words('Tid i lärgruppen att jämföra exit tickets') : '',
    status: 'confirmed',
    updatedAt: '2027-02-05T10:00:00.000Z',
    confirmedAt: '2027-02-05T10:00:00.000Z',
  };
}

const WRITTEN: SchoolAnalysis = {
  schoolId: 'exempelskolan',
  schoolYear: '2026-27',
  goalId: 'studiero',
  version: 2,
  roundId: '20270203-70a14eb793',
  shows: 'De flesta är på väg; tre av fem har kommit halvvägs.',
  why: 'Tydliga starter hjälper, men övergångarna efter rast är fortfarande oroliga.',
  actions: 'Vi delar exit tickets i lärgrupperna och provar rastaktiviteter i åk 4–6.',
  writtenBy: 'aad-rut',
  writtenAt: '2027-02-12T14:00:00.000Z',
};

export function followUpSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const round = roundOf(NAMES);
  const responses = [2, 3, 3, 4].map((progress, i) => responseOf(round, i, progress));
  const previous = {
    round: roundOf(NAMES, { id: 'earlier', createdAt: '2026-11-01T08:00:00.000Z' }),
    responses: [1, 2, 2, 3].map((p, i) => responseOf(round, i, p)),
  };
  const analysis = analyseRound({ round, responses, goals: GOALS, upwardTitles: UPWARD, previous, reflections: new Map([['aad-0|dlg-ht26:1', 3]]) });
  const big = roundOf(Array.from({ length: 80 }, (_, i) => `${NAMES[i % 5]} ${i + 1}`));
  const bigResponses = big.participants.map((_, i) => responseOf(big, i, (i % 5) + 1, true));
  const bigAnalysis = analyseRound({ round: big, responses: bigResponses, goals: GOALS, upwardTitles: UPWARD, reflections: new Map() });
  const dialogues = [
    { title: 'Målsamtal HT 2026', value: 'dlg-ht26' },
    { title: 'Målsamtal HT 2025', value: 'dlg-ht25' },
  ];
  const formValues = { title: strings.followUp.defaultTitle('VT', 2027), dialogueId: 'dlg-ht26', startsOn: '', lastDay: '2027-02-17', reminders: true };
  const goalCard = (extra: Partial<Parameters<typeof followUpGoalCard>[2]>) =>
    followUpGoalCard(strings, language, {
      round,
      goalNumber: 1,
      goalCount: 2,
      goalText: 'Eleverna i min klass arbetar i lugn och ro hela lektionen',
      serves: [GOALS[0]!.title],
      ...extra,
    });
  const rollup = rollUp(
    [
      {
        schoolId: 'exempelskolan',
        schoolName: 'Exempelskolan',
        roundTitle: 'Uppföljning VT 2027',
        analysis,
        values: [2, 3, 3, 4],
        previousValues: [1, 2, 2, 3],
      },
      { schoolId: 'norrskolan', schoolName: 'Norrskolan', roundTitle: 'Uppföljning VT 2027', analysis, values: [4, 2] },
    ],
    UPWARD,
  );
  return [
    { template: 'followUpStart', state: 'new', card: followUpStartCard(strings, dialogues, formValues, '2027-02-03', '20270203-abcdef0123') },
    {
      template: 'followUpStart',
      state: 'problems',
      card: followUpStartCard(strings, dialogues, { ...formValues, title: '', lastDay: '2027-02-01' }, '2027-02-03', '20270203-abcdef0123', [
        'title',
        'lastDay',
      ]),
    },
    { template: 'followUpStatus', state: 'open', card: followUpStatusCard(strings, language, round, { done: 3, total: 5 }) },
    { template: 'followUpStatus', state: 'closed', card: followUpStatusCard(strings, language, { ...round, status: 'closed' }, { done: 4, total: 5 }) },
    {
      template: 'followUpGoal',
      state: 'new',
      card: goalCard({ intro: strings.followUp.card.intro('Rut Rektorsson', 'Uppföljning VT 2027', '9 februari 2027') }),
    },
    { template: 'followUpGoal', state: 'confirmed', card: goalCard({ response: responses[1]!, notice: strings.followUp.card.confirmed }) },
    {
      template: 'followUpGoal',
      state: 'problems',
      card: goalCard({ sent: { progress: '', worked: '', next: '' }, problems: ['progress', 'worked', 'next'], notice: strings.followUp.card.problems.next }),
    },
    { template: 'followUpGoal', state: 'closed', card: goalCard({ round: { ...round, status: 'closed' }, response: responses[2]! }) },
    {
      template: 'followUpAnalysis',
      state: 'school-of-five',
      card: followUpAnalysisCard(strings, language, { round, analysis, written: new Map([['studiero', WRITTEN]]) }),
    },
    {
      template: 'followUpAnalysis',
      state: 'eighty-long-answers',
      card: followUpAnalysisCard(strings, language, {
        round: { ...big, status: 'closed', closedAt: '2027-02-10T06:00:00.000Z' },
        analysis: bigAnalysis,
        written: new Map(),
      }),
    },
    { template: 'followUpRollup', state: 'two-schools', card: followUpRollupCard(strings, language, { schoolYear: '2026-27', ...rollup }) },
    { template: 'followUpRollup', state: 'none', card: followUpRollupCard(strings, language, { schoolYear: '2026-27', schools: [], overarching: [] }) },
    { template: 'schoolAnalysisForm', state: 'new', card: schoolAnalysisFormCard(strings, language, { round, goal: analysis.goals[0]! }) },
    {
      template: 'schoolAnalysisForm',
      state: 'version-2',
      card: schoolAnalysisFormCard(strings, language, { round, goal: analysis.goals[0]!, current: WRITTEN }),
    },
  ];
}
