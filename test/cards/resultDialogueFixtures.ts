/**
 * The resultatdialog cards with realistic data: a principal's card per
 * indicator (fresh with the greeting, a draft, with problems, closed), the
 * start form with the Resultatdialog toggle, and the manager's side-by-side
 * view (two schools, and the largest an organisation makes: 60 schools
 * answering four indicators with 2,000 characters each, which must come as
 * several cards of at most 40 KB each). test/cards/fixtures.ts gathers them.
 */
import { followUpStartCard } from '../../src/cards/followUps';
import type { AdaptiveCard } from '../../src/cards/render';
import { resultAnswerCard, resultDialogueViewCards } from '../../src/cards/resultDialogue';
import { MAX_FOLLOW_UP_TEXT, type Round } from '../../src/domain/followUp';
import type { Indicator } from '../../src/domain/indicators';
import type { School } from '../../src/domain/organisation';
import type { ResultAnswer } from '../../src/domain/resultDialogue';
import type { ResultItem, SideBySide } from '../../src/domain/resultDialogueService';
import { type Language, stringsFor } from '../../src/i18n';
import { indicator } from './indicatorFixtures';

const ROUND: Round = {
  id: '20270203-5e5a1d1a10',
  tenantId: 'tenant',
  dialogueId: 'dlg-rektorer',
  schoolId: '~organisation',
  schoolYear: '2026-27',
  title: 'Resultatdialog VT 2027',
  lastDay: '2027-02-12',
  reminders: true,
  resultDialogue: true,
  status: 'open',
  owner: { aadObjectId: 'aad-vera', userId: '29:vera', name: 'Vera Verksamhetschef' },
  participants: [],
  createdAt: '2027-02-03T08:00:00.000Z',
  openedAt: '2027-02-03T08:00:01.000Z',
};

function schoolOf(id: string, name: string): School {
  return { id, name, teamId: `19:${id}`, principals: [], goals: [], processMap: [] };
}

/** As the result cards' indicators, with a baseline of June 2026. */
function indicatorOf(id: string, name: string, unit: string, baseline: number, target: number): Indicator {
  return indicator(id, name, unit, baseline, target, { baseline: { value: baseline, date: '2026-06-15' } });
}

const INDICATORS = [
  indicatorOf('behoriga-gymnasiet', 'Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram', '%', 82, 90),
  indicatorOf('trygghet-elevenkat', 'Andel elever som känner sig trygga i skolan (elevenkäten)', '%', 85, 95),
  indicatorOf('meritvarde-ak9', 'Genomsnittligt meritvärde i åk 9', 'poäng', 224, 235),
  indicatorOf('narvaro', 'Andel elever med minst 90 % närvaro', '%', 88, 95),
];

function itemOf(school: School, indicator: Indicator, measured: number | undefined): ResultItem {
  return {
    school,
    indicator,
    goalTitle: 'Förbättrade resultat – fler elever behöriga till gymnasiet',
    series: {
      unitId: school.id,
      unitName: school.name,
      baseline: indicator.baseline,
      measurements:
        measured === undefined
          ? []
          : [
              {
                indicatorId: indicator.id,
                unitId: school.id,
                id: 'm1',
                value: measured,
                date: '2027-01-15',
                comment: '',
                version: 1,
                recordedAt: '',
                recordedBy: '',
              },
            ],
    },
  };
}

function answerOf(school: School, indicator: Indicator, long = false): ResultAnswer {
  const words = (text: string) => (long ? `${text} `.repeat(Math.ceil(MAX_FOLLOW_UP_TEXT / (text.length + 1))).slice(0, MAX_FOLLOW_UP_TEXT) : text);
  return {
    roundId: ROUND.id,
    schoolId: school.id,
    indicatorId: indicator.id,
    shows: words('Andelen har ökat med fyra procentenheter sedan i juni, mest i matematik.'),
    causes: words('Lässtödet i åk 7 och fler lärare som arbetar språkutvecklande i alla ämnen.'),
    actions: words('Vi fortsätter med lässtödet, följer upp varje månad och delar arbetssätten i nätverket.'),
    status: 'confirmed',
    writtenBy: { aadObjectId: `aad-${school.id}`, name: `Rektor på ${school.name}` },
    updatedAt: '2027-02-05T10:00:00.000Z',
    confirmedAt: '2027-02-05T10:00:00.000Z',
  };
}

function viewOf(schools: School[], long: boolean): SideBySide {
  return {
    round: ROUND,
    indicators: INDICATORS.map((indicator, i) => ({
      indicator,
      goalTitle: 'Förbättrade resultat – fler elever behöriga till gymnasiet',
      schools: schools.map((school, s) => ({
        school,
        series: itemOf(school, indicator, s % 3 === 2 ? undefined : indicator.baseline.value + 2).series,
        ...(s % 4 === 3 && i === 0 ? {} : { answer: answerOf(school, indicator, long) }),
      })),
    })),
    answered: schools.length - 1,
    total: schools.length,
    notAnswered: [{ school: schools[schools.length - 1]!, principals: ['Nils Norberg'] }],
  };
}

export function resultDialogueSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const exempel = schoolOf('exempelskolan', 'Exempelskolan');
  const norr = schoolOf('norrskolan', 'Norrskolan');
  const item = itemOf(exempel, INDICATORS[0]!, 86);
  const answer = answerOf(exempel, INDICATORS[0]!);
  const card = (extra: Partial<Parameters<typeof resultAnswerCard>[2]>) =>
    resultAnswerCard(strings, language, { round: ROUND, item, number: 1, of: 4, ...extra });
  const big = Array.from({ length: 60 }, (_, i) => schoolOf(`skola-${i + 1}`, `Skola nummer ${i + 1} i kommunen`));
  const bigCards = resultDialogueViewCards(strings, language, viewOf(big, true));
  const c = strings.resultDialogue.card;
  const formValues = {
    title: 'Resultatdialog VT 2027',
    dialogueId: 'dlg-rektorer',
    startsOn: '',
    lastDay: '2027-02-17',
    reminders: true,
    resultDialogue: true,
  };
  return [
    {
      template: 'followUpStart',
      state: 'result-dialogue-offered',
      card: followUpStartCard(strings, [{ title: 'Målsamtal med rektorerna HT 2026', value: 'dlg-rektorer' }], formValues, '2027-02-03', '20270203-abcdef0123'),
    },
    { template: 'resultDialogueAnswer', state: 'new', card: card({ intro: c.intro('Vera Verksamhetschef', ROUND.title, '12 februari 2027') }) },
    { template: 'resultDialogueAnswer', state: 'no-value-yet', card: card({ item: itemOf(exempel, INDICATORS[3]!, undefined), number: 4 }) },
    { template: 'resultDialogueAnswer', state: 'draft-saved', card: card({ answer: { ...answer, status: 'draft', causes: '' }, notice: c.saved }) },
    {
      template: 'resultDialogueAnswer',
      state: 'problems',
      card: card({
        sent: { shows: answer.shows, causes: '', actions: '' },
        problems: ['causes', 'actions'],
        notice: [c.problemsIntro, c.problems.causes, c.problems.actions].join(' '),
      }),
    },
    { template: 'resultDialogueAnswer', state: 'closed', card: card({ round: { ...ROUND, status: 'closed', closedAt: '2027-02-13T06:00:00.000Z' }, answer }) },
    { template: 'resultDialogueView', state: 'two-schools', card: resultDialogueViewCards(strings, language, viewOf([exempel, norr], false))[0]! },
    ...bigCards.map((view, i) => ({ template: 'resultDialogueView', state: `60-schools-long-answers-part-${i + 1}`, card: view })),
  ];
}
