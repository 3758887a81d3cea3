/**
 * The owner's list of follow-up rounds (planned, running, closed,
 * cancelled; empty; after a cancel) and the schools' written analyses side
 * by side (two schools; twenty schools with the longest texts, whose pages
 * must each stay within 40 KB). test/cards/fixtures.ts gathers them with
 * the others.
 */
import { followUpRollupAnalysesCard } from '../../src/cards/followUpRollupAnalyses';
import { followUpRoundsCard } from '../../src/cards/followUpRounds';
import type { AdaptiveCard } from '../../src/cards/render';
import { MAX_FOLLOW_UP_TEXT, type Round } from '../../src/domain/followUp';
import type { OwnedRound } from '../../src/domain/followUpRounds';
import { type OverarchingWritten } from '../../src/domain/followUpRollupAnalyses';
import { type Language, stringsFor } from '../../src/i18n';

function roundOf(id: string, overrides: Partial<Round>): Round {
  return {
    id,
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
    participants: [],
    createdAt: '2027-02-03T08:00:00.000Z',
    ...overrides,
  };
}

const ROUNDS: OwnedRound[] = [
  {
    round: roundOf('may', { title: 'Uppföljning maj', term: undefined, status: 'planned', startsOn: '2027-05-03', lastDay: '2027-05-12' }),
    unitName: 'Exempelskolan',
  },
  { round: roundOf('feb', { status: 'open' }), unitName: 'Exempelskolan', counts: { done: 3, total: 5 } },
  {
    round: roundOf('norr', { schoolId: 'norrskolan', status: 'closed', closedAt: '2027-02-13T06:00:00.000Z' }),
    unitName: 'Norrskolan',
    counts: { done: 2, total: 2 },
  },
  {
    round: roundOf('mar', { title: 'Uppföljning mars', term: undefined, status: 'cancelled', startsOn: '2027-03-15', cancelledAt: '2027-02-20T09:00:00.000Z' }),
    unitName: 'Exempelskolan',
  },
];

const SCHOOLS = ['Exempelskolan', 'Norrskolan', 'Söderskolan', 'Västerskolan', 'Österskolan'];

function writtenOf(schools: number, long: boolean): OverarchingWritten[] {
  const text = (words: string) => (long ? `${words} `.repeat(Math.ceil(MAX_FOLLOW_UP_TEXT / (words.length + 1))).slice(0, MAX_FOLLOW_UP_TEXT) : words);
  const line = (id: string, title: string, goalTitle: string) => ({
    id,
    title,
    schools: Array.from({ length: schools }, (_, i) => ({
      schoolId: `school-${i}`,
      schoolName: i < SCHOOLS.length ? SCHOOLS[i]! : `Skola ${i + 1}`,
      analyses:
        i === 1 && !long
          ? []
          : [
              {
                goalId: `${id}-${i}`,
                goalTitle,
                shows: text('De flesta är på väg; tre av fem lärare har kommit halvvägs.'),
                why: text('Tydliga starter hjälper, men övergångarna efter rast är fortfarande oroliga.'),
                actions: text('Vi delar exit tickets i lärgrupperna och provar rastaktiviteter i åk 4–6.'),
                version: 2,
                writtenAt: '2027-02-12T14:00:00.000Z',
              },
            ],
    })),
  });
  return [
    line('trygghet', 'En skola där alla kan och vill vara – trygghet', 'Alla elever upplever studiero och trygghet i klassrummet'),
    line('resultat', 'Förbättrade resultat – fler elever behöriga till gymnasiet', 'Fler elever når kunskapskraven i svenska och matematik i åk 6'),
  ];
}

export function followUpRoundsSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const many = writtenOf(20, true);
  return [
    { template: 'followUpRounds', state: 'planned-open-closed-cancelled', card: followUpRoundsCard(strings, language, ROUNDS) },
    { template: 'followUpRounds', state: 'none', card: followUpRoundsCard(strings, language, []) },
    {
      template: 'followUpRounds',
      state: 'after-cancel',
      card: followUpRoundsCard(strings, language, ROUNDS.slice(0, 2), strings.followUpRounds.cancelled('Uppföljning mars')),
    },
    {
      template: 'followUpRollupAnalyses',
      state: 'two-schools',
      card: followUpRollupAnalysesCard(strings, language, { schoolYear: '2026-27', written: writtenOf(2, false), page: 1 }),
    },
    {
      template: 'followUpRollupAnalyses',
      state: 'twenty-schools-long-page-1',
      card: followUpRollupAnalysesCard(strings, language, { schoolYear: '2026-27', written: many, page: 1 }),
    },
    {
      template: 'followUpRollupAnalyses',
      state: 'twenty-schools-long-page-2',
      card: followUpRollupAnalysesCard(strings, language, { schoolYear: '2026-27', written: many, page: 2 }),
    },
  ];
}
