import { join } from 'node:path';
import { advance, type Dialogue, type GoalDraft, goalDraftSchema, newParticipation } from '../../src/domain/goalDialogue';
import { carryOver, chooseSchoolYear, previousSchoolYear } from '../../src/domain/goalDialogueYears';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';

const organisation = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));
const STOCKHOLM = 'Europe/Stockholm';
const now = new Date('2027-09-01T08:00:00Z');

function dialogue(id: string, schoolGoals: { id: string; title: string }[]): Dialogue {
  return {
    id,
    tenantId: 't',
    schoolId: 'exempelskolan',
    title: 'Målsamtal',
    schoolGoals: schoolGoals.map((goal) => ({ ...goal, serves: [] })),
    deadline: '2027-09-30',
    participants: [{ aadObjectId: 'a1', userId: '29:1', name: 'Lena Lärare' }],
    reminders: { enabled: false, daysBefore: [] },
    principal: { aadObjectId: 'p', userId: '29:p', name: 'Rut' },
    channel: { conversationId: '19:c', serviceUrl: 'https://x/' },
    status: 'open',
    createdAt: now.toISOString(),
  };
}

const goal = (schoolGoalIds: string[], text: string): GoalDraft =>
  goalDraftSchema.parse({ schoolGoalIds, goal: text, how: `${text}: så gör jag varje vecka`, evidence: `${text}: så märker jag det`, supportSkipped: true });

describe('which läsår a person names', () => {
  test('when nothing is named then it is the current läsår, and in the summer the coming one', () => {
    expect(chooseSchoolYear(organisation, '', '2026-11-30')).toMatchObject({ year: { id: '2026-27' } });
    expect(chooseSchoolYear(organisation, '', '2027-07-01')).toMatchObject({ year: { id: '2027-28' } });
  });

  test('when "förra läsåret" or "last year" is named then it is the läsår before the current one', () => {
    expect(chooseSchoolYear(organisation, 'förra läsåret', '2027-09-01')).toMatchObject({ year: { id: '2026-27' } });
    expect(chooseSchoolYear(organisation, 'Last year', '2027-09-01')).toMatchObject({ year: { id: '2026-27' } });
  });

  test('when an id is written in any of the usual ways then it is found', () => {
    for (const words of ['2026-27', '2026/27', '2026-2027', 'läsåret 2026-27', 'Läsåret 2026/27']) {
      expect(chooseSchoolYear(organisation, words, '2027-09-01')).toMatchObject({ year: { id: '2026-27' } });
    }
  });

  test('when the läsår is not in the file then it is unknown, with every läsår the file lists', () => {
    const choice = chooseSchoolYear(organisation, '2019-20', '2027-09-01');
    expect(choice).toMatchObject({ unknown: '2019-20' });
    expect('known' in choice && choice.known.map((year) => year.id)).toEqual(['2026-27', '2027-28']);
    expect(chooseSchoolYear(organisation, 'förra läsåret', '2026-11-30')).toMatchObject({ unknown: 'förra läsåret' });
    expect(previousSchoolYear(organisation, '2026-27')).toBeUndefined();
  });
});

describe("starting from last läsår's goals", () => {
  const lastYear = dialogue('d-2026', [
    { id: 'studiero', title: 'Studiero' },
    { id: 'las', title: 'Läsning' },
  ]);
  const thisYear = dialogue('d-2027', [{ id: 'studiero', title: 'Studiero och trygghet' }]);
  const goals = [goal(['studiero', 'las'], 'Läsning varje dag i 4B'), goal(['las'], 'Boksamtal i smågrupper')];

  test('when a goal links to a school goal this dialogue does not offer then the link is dropped and named, the text kept', () => {
    const carried = carryOver({ year: organisation.schoolYearById('2026-27')!, dialogue: lastYear, goals }, thisYear);
    expect(carried.droppedLinks).toEqual(['Läsning']);
    expect(carried.goals.map((g) => [g.goal, g.schoolGoalIds])).toEqual([
      ['Läsning varje dag i 4B', ['studiero']],
      ['Boksamtal i smågrupper', []],
    ]);
  });

  test('when she carries over twice then the goals are copied once, and a goal left without school goals is asked for them', () => {
    const carried = carryOver({ year: organisation.schoolYearById('2026-27')!, dialogue: lastYear, goals }, thisYear);
    const input = { kind: 'carryOver' as const, fromDialogueId: lastYear.id, ...carried };
    const start = newParticipation(thisYear.id, { aadObjectId: 'a1', userId: '29:1', name: 'Lena Lärare' }, now);
    const first = advance(thisYear, start, input, now, STOCKHOLM);
    expect(first).toMatchObject({ changed: true, reply: { kind: 'carriedOver', count: 2, droppedLinks: ['Läsning'] } });
    expect(first.participation).toMatchObject({ status: 'in-progress', carriedOver: { dialogueId: 'd-2026' }, cursor: { goalIndex: 1, step: 'schoolGoals' } });
    const second = advance(thisYear, first.participation, input, now, STOCKHOLM);
    expect(second).toMatchObject({ changed: false, reply: { kind: 'carriedOverAlready' } });
    expect(second.participation.goals).toHaveLength(2);
  });

  test('when she has written a goal already then nothing is copied over it', () => {
    const start = newParticipation(thisYear.id, { aadObjectId: 'a1', userId: '29:1', name: 'Lena Lärare' }, now);
    const written = advance(thisYear, start, { kind: 'startWithText', text: 'Mitt eget mål om läsning för hela klassen' }, now, STOCKHOLM).participation;
    const result = advance(thisYear, written, { kind: 'carryOver', fromDialogueId: lastYear.id, goals, droppedLinks: [] }, now, STOCKHOLM);
    expect(result).toMatchObject({ changed: false, reply: { kind: 'carryOverRefused' } });
    expect(result.participation.goals.map((g) => g.goal)).toEqual(['Mitt eget mål om läsning för hela klassen']);
  });
});
