import { checkResponse, type Response, type Round } from '../../src/domain/followUp';
import { analyseRound, rollUp, statsOf } from '../../src/domain/followUpAnalysis';

const round: Round = {
  id: 'r2',
  tenantId: 't',
  dialogueId: 'd1',
  schoolId: 'exempelskolan',
  schoolYear: '2026-27',
  title: 'Uppföljning',
  lastDay: '2027-05-12',
  reminders: false,
  status: 'closed',
  owner: { aadObjectId: 'rut', userId: '29:rut', name: 'Rut' },
  participants: [
    { aadObjectId: 'a', userId: '29:a', name: 'Anna', goals: [{ number: 1, schoolGoalIds: ['studiero', 'formativ'] }] },
    {
      aadObjectId: 'b',
      userId: '29:b',
      name: 'Bo',
      goals: [
        { number: 1, schoolGoalIds: ['studiero'] },
        { number: 2, schoolGoalIds: ['formativ'] },
      ],
    },
    { aadObjectId: 'c', userId: '29:c', name: 'Cia', goals: [{ number: 1, schoolGoalIds: ['formativ'] }] },
  ],
  createdAt: '2027-05-03T05:00:00.000Z',
};
const goals = [
  { id: 'studiero', title: 'Studiero', serves: ['trygghet'] },
  { id: 'formativ', title: 'Formativ bedömning', serves: ['resultat', 'trygghet'] },
];
const upwardTitles = new Map([
  ['trygghet', 'Trygghet'],
  ['resultat', 'Resultat'],
]);

function response(aad: string, goalNumber: number, progress: number, status: Response['status'] = 'confirmed'): Response {
  return {
    roundId: round.id,
    aadObjectId: aad,
    name: aad,
    goalNumber,
    progress,
    worked: `w-${aad}`,
    evidence: '',
    evidenceUnit: '',
    next: `n-${aad}`,
    support: '',
    status,
    updatedAt: '',
  };
}

describe('the analysis of a follow-up round', () => {
  test('when the values are even in number then the median is the mean of the middle two, and the mean is rounded to one decimal', () => {
    expect(statsOf([1, 2, 4, 5])).toEqual({ distribution: [1, 1, 0, 1, 1], count: 4, mean: 3, median: 3 });
    expect(statsOf([2, 3, 3])).toMatchObject({ mean: 2.7, median: 3 });
    expect(statsOf([])).toEqual({ distribution: [0, 0, 0, 0, 0], count: 0 });
  });

  test('when a teacher goal serves two school goals then it counts under each, and once per goal one level up; drafts do not count', () => {
    const analysis = analyseRound({
      round,
      responses: [response('a', 1, 4), response('b', 1, 2), response('b', 2, 3, 'draft'), response('c', 1, 5)],
      goals,
      upwardTitles,
      reflections: new Map([['a|d1:1', 2]]),
    });
    expect(analysis.answered).toBe(2);
    expect(analysis.notAnswered).toEqual(['Bo']);
    const [studiero, formativ] = analysis.goals;
    expect(studiero!.stats).toMatchObject({ count: 2, distribution: [0, 1, 0, 1, 0] });
    expect(formativ!.stats).toMatchObject({ count: 2, distribution: [0, 0, 0, 1, 1] });
    expect(studiero!.reflections).toBe(2);
    expect(formativ!.reflections).toBe(2);
    // Anna's goal serves trygghet through both school goals: once.
    expect(analysis.upward.find((line) => line.id === 'trygghet')!.stats).toMatchObject({ count: 3, distribution: [0, 1, 0, 1, 1] });
    expect(formativ!.worked.map((w) => w.text)).toEqual(['w-a', 'w-c']);
  });

  test('when there was a round before then each goal carries its numbers, and the rollup pools the schools per overarching goal', () => {
    const previousRound = { ...round, id: 'r1' };
    const analysis = analyseRound({
      round,
      responses: [response('a', 1, 4), response('b', 1, 4), response('b', 2, 4), response('c', 1, 4)],
      goals,
      upwardTitles,
      previous: { round: previousRound, responses: [response('a', 1, 2), response('b', 1, 1)] },
      reflections: new Map(),
    });
    expect(analysis.goals[0]!.previous).toMatchObject({ count: 2, mean: 1.5 });
    const pooled = rollUp(
      [
        { schoolId: 's1', schoolName: 'S1', roundTitle: 'U', analysis, values: [4, 4, 4, 4] },
        { schoolId: 's2', schoolName: 'S2', roundTitle: 'U', analysis, values: [] },
      ],
      upwardTitles,
    );
    expect(pooled.overarching.find((line) => line.id === 'resultat')!.stats.count).toBe(2 * 3);
    expect(pooled.schools[1]!.stats.count).toBe(0);
  });

  test('when a confirm lacks the progress, what worked or the next step then each is named and nothing is taken; a draft may lack them', () => {
    const form = { roundId: 'r', goal: 1, progress: '', worked: ' ', evidence: '', evidenceValue: '18,5', evidenceUnit: '%', next: '', support: '' };
    expect(checkResponse(form, true)).toEqual({ problems: ['progress', 'worked', 'next'] });
    expect(checkResponse(form, false)).toEqual({ values: { worked: '', evidence: '', evidenceValue: 18.5, evidenceUnit: '%', next: '', support: '' } });
    expect(checkResponse({ ...form, progress: '7', evidenceValue: 'många' }, false)).toEqual({ problems: ['progress', 'evidenceValue'] });
  });
});
