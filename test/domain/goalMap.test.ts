import { join } from 'node:path';
import type { Dialogue, GoalDraft, Participation } from '../../src/domain/goalDialogue';
import { newParticipation } from '../../src/domain/goalDialogue';
import {
  defaultGoalMapView,
  goalMapViews,
  latestWithGoals,
  MAP_GOAL_CHARS,
  mineMap,
  organisationMap,
  schoolPart,
  type TeacherWork,
} from '../../src/domain/goalMap';
import { dialogueSchoolYearId } from '../../src/domain/goalDialogueYears';
import { goalsFromOrganisation, type SchoolGoal } from '../../src/domain/schoolGoals';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';

const organisation = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));
const STOCKHOLM = 'Europe/Stockholm';
const year = organisation.schoolYearById('2026-27')!;
const exempelskolan = organisation.schoolById('exempelskolan')!;
const fileGoals = goalsFromOrganisation(organisation, new Date('2026-08-01T00:00:00Z'));
const goalsOf = (schoolId: string) => fileGoals.filter((goal) => goal.schoolId === schoolId);

const RUT = { aadObjectId: '00000000-0000-4000-8000-00000000a000' };
const VERA = { aadObjectId: '00000000-0000-4000-8000-00000000d001' };
const TEACHER = { aadObjectId: '00000000-0000-4000-8000-000000000001' };

function dialogue(id: string, createdAt: string): Dialogue {
  return {
    id,
    tenantId: 't',
    schoolId: 'exempelskolan',
    title: `Målsamtal ${id}`,
    schoolGoals: goalsOf('exempelskolan').map(({ id: goalId, title, serves }) => ({ id: goalId, title, serves })),
    deadline: '2026-09-30',
    participants: [],
    reminders: { enabled: false, daysBefore: [] },
    principal: { aadObjectId: RUT.aadObjectId, userId: '29:rut', name: 'Rut Rektorsson' },
    channel: { conversationId: '19:c', serviceUrl: 'https://smba.example/' },
    status: 'open',
    createdAt,
  };
}

const goal = (schoolGoalIds: string[], text: string): GoalDraft => ({ schoolGoalIds, goal: text, supportSkipped: false, followedUp: [] });

function work(of: Dialogue, teacher: string, options: { draft?: GoalDraft[]; confirmed?: GoalDraft[] }): TeacherWork {
  const participation: Participation = {
    ...newParticipation(of.id, { aadObjectId: teacher, userId: `29:${teacher}`, name: teacher }, new Date(of.createdAt)),
    status: options.confirmed ? 'done' : options.draft ? 'in-progress' : 'not-started',
    goals: options.draft ?? options.confirmed ?? [],
    versions: options.confirmed ? 1 : 0,
  };
  return { dialogue: of, participation, ...(options.confirmed ? { confirmed: options.confirmed } : {}) };
}

describe('who sees which view', () => {
  test('when a teacher, the principal and the verksamhetschef ask then each may see their own part, and the widest view they hold comes first', () => {
    expect(goalMapViews(organisation, TEACHER)).toEqual(['mine']);
    expect(goalMapViews(organisation, RUT)).toEqual(['mine', 'school']);
    expect(goalMapViews(organisation, VERA)).toEqual(['mine', 'all']);
    expect(defaultGoalMapView(goalMapViews(organisation, TEACHER))).toBe('mine');
    expect(defaultGoalMapView(goalMapViews(organisation, RUT))).toBe('school');
    expect(defaultGoalMapView(goalMapViews(organisation, VERA))).toBe('all');
  });

  test('when someone is known by UPN only then the roles are found by UPN', () => {
    expect(goalMapViews(organisation, { upn: 'NILS.NORBERG@norrskolan.example' })).toEqual(['mine', 'school']);
  });
});

/** Whether a dialogue created at `createdAt` (with no läsår stored) belongs to the läsår. */
const inSchoolYear = (organisation: Parameters<typeof dialogueSchoolYearId>[0], year: { id: string }, createdAt: string, timeZone: string) =>
  dialogueSchoolYearId(organisation, { createdAt }, timeZone) === year.id;

describe('which dialogues belong to the läsår', () => {
  test('when a dialogue stores its läsår then that läsår decides, whatever its creation date', () => {
    expect(dialogueSchoolYearId(organisation, { createdAt: '2027-08-10T08:00:00Z', schoolYearId: '2026-27' }, STOCKHOLM)).toBe('2026-27');
  });

  test("when a dialogue was created on the läsår's last evening or the night after then the local date decides", () => {
    expect(inSchoolYear(organisation, year, '2026-09-01T08:00:00Z', STOCKHOLM)).toBe(true);
    expect(inSchoolYear(organisation, year, '2027-06-11T21:30:00Z', STOCKHOLM)).toBe(true);
    expect(inSchoolYear(organisation, year, '2027-06-11T22:30:00Z', STOCKHOLM)).toBe(false);
  });

  test('when a dialogue was created in the summer between two läsår then it belongs to the coming one', () => {
    const next = organisation.schoolYearById('2027-28')!;
    expect(inSchoolYear(organisation, next, '2027-08-10T08:00:00Z', STOCKHOLM)).toBe(true);
    expect(inSchoolYear(organisation, year, '2027-08-10T08:00:00Z', STOCKHOLM)).toBe(false);
  });
});

describe("a teacher's own chain", () => {
  const autumn = dialogue('ht', '2026-09-01T08:00:00Z');

  test('when she has confirmed goals then the map shows them, the school goals they serve, the overarching goals and the framework items reached', () => {
    const map = mineMap(
      organisation,
      year,
      work(autumn, 't1', { confirmed: [goal(['studiero'], 'Lugn start'), goal(['studiero', 'studiero'], 'Tyst läsning')] }),
      fileGoals,
    );
    expect(map.dialogue).toEqual({ title: 'Målsamtal ht', draft: false });
    expect(map.goals).toEqual([
      { number: 1, text: 'Lugn start', schoolGoals: [1] },
      { number: 2, text: 'Tyst läsning', schoolGoals: [1, 1] },
    ]);
    expect(map.schoolGoals.map((g) => [g.number, g.id, g.serves])).toEqual([[1, 'studiero', ['trygghet']]]);
    expect(map.overarching.map((g) => [g.letter, g.id])).toEqual([['A', 'trygghet']]);
    expect(map.framework.map((item) => [item.id, item.from, item.staffHows])).toEqual([
      ['riktning', ['A'], ['Jag planerar min undervisning utifrån skolans mål och de övergripande målen.']],
    ]);
    expect(map.frameworkName).toBe('Varje elevs bästa skola');
    expect(map.school).toEqual({
      id: 'exempelskolan',
      name: 'Exempelskolan',
      focusArea: { title: 'Språk- och kunskapsutvecklande arbetssätt (SKUA)', period: 'Läsåret 2026/27', goalNumbers: [2] },
    });
  });

  test('when she edits her confirmed goals then the map keeps the confirmed version, not the draft', () => {
    const edited = { ...work(autumn, 't1', { confirmed: [goal(['studiero'], 'Bekräftat')] }) };
    edited.participation = { ...edited.participation, goals: [goal(['las-och-skriv'], 'Ändrat men inte bekräftat')] };
    const map = mineMap(organisation, year, edited, fileGoals);
    expect(map.goals.map((g) => g.text)).toEqual(['Bekräftat']);
    expect(map.dialogue?.draft).toBe(false);
  });

  test('when she has only a draft then it is marked as a draft and an empty goal is left out', () => {
    const map = mineMap(organisation, year, work(autumn, 't1', { draft: [goal(['las-och-skriv'], 'På väg'), goal([], '')] }), fileGoals);
    expect(map.dialogue?.draft).toBe(true);
    expect(map.goals).toEqual([{ number: 1, text: 'På väg', schoolGoals: [2] }]);
    expect(map.overarching.map((g) => g.letter)).toEqual(['B']);
    expect(map.framework.map((item) => item.id)).toEqual(['riktning', 'data-och-evidens']);
  });

  test('when a school goal was reworded and another retired then the link reads as the goal reads now, the retired one after the list', () => {
    const now: SchoolGoal[] = goalsOf('exempelskolan').map((g) =>
      g.id === 'studiero' ? { ...g, title: 'Studiero i alla klassrum', version: 2 } : g.id === 'las-och-skriv' ? { ...g, status: 'retired', version: 2 } : g,
    );
    const map = mineMap(organisation, year, work(autumn, 't1', { confirmed: [goal(['studiero', 'las-och-skriv'], 'Mål')] }), now);
    expect(map.schoolGoals.map((g) => [g.number, g.title])).toEqual([
      [1, 'Studiero i alla klassrum'],
      [3, 'Fler elever når kunskapskraven i svenska och matematik i åk 6'],
    ]);
    expect(map.goals[0]?.schoolGoals).toEqual([1, 3]);
  });

  test('when a goal is long then the map shows its beginning', () => {
    const map = mineMap(organisation, year, work(autumn, 't1', { confirmed: [goal(['studiero'], 'x'.repeat(4000))] }), fileGoals);
    expect(map.goals[0]?.text).toHaveLength(MAP_GOAL_CHARS);
    expect(map.goals[0]?.text.endsWith('…')).toBe(true);
  });

  test('when she has no goals this läsår then the map has no dialogue and no school', () => {
    const map = mineMap(organisation, year, undefined, []);
    expect(map).toMatchObject({ view: 'mine', goals: [], schoolGoals: [], overarching: [], framework: [] });
    expect(map.dialogue).toBeUndefined();
    expect(map.school).toBeUndefined();
  });

  test('when a newer invitation has no goals yet then her goals come from the newest dialogue that has some', () => {
    const spring = dialogue('vt', '2027-01-20T08:00:00Z');
    const older = work(autumn, 't1', { confirmed: [goal(['studiero'], 'Hösten')] });
    expect(latestWithGoals([older, work(spring, 't1', {})])).toBe(older);
    const newer = work(spring, 't1', { draft: [goal(['studiero'], 'Våren')] });
    expect(latestWithGoals([older, newer])).toBe(newer);
  });
});

describe('a school as its principal sees it', () => {
  const autumn = dialogue('ht', '2026-09-01T08:00:00Z');
  const spring = dialogue('vt', '2027-01-20T08:00:00Z');

  test('when teachers have goals then each school goal counts confirmed goals and drafts, each teacher once, with their newest dialogue', () => {
    const part = schoolPart(organisation, exempelskolan, fileGoals, [
      work(autumn, 'anna', { confirmed: [goal(['studiero', 'las-och-skriv'], 'a1'), goal(['studiero'], 'a2')] }),
      // Erik's spring goals replace his autumn ones.
      work(autumn, 'erik', { confirmed: [goal(['formativ-bedomning'], 'e-ht')] }),
      work(spring, 'erik', { confirmed: [goal(['studiero', 'studiero'], 'e-vt')] }),
      work(autumn, 'fatima', { draft: [goal(['las-och-skriv'], 'f')] }),
      work(autumn, 'gustav', {}),
    ]);
    expect(part.teachers).toBe(3);
    expect(part.goals.map((g) => [g.number, g.id, g.confirmed, g.drafts])).toEqual([
      [1, 'studiero', 3, 0],
      [2, 'las-och-skriv', 1, 1],
      [3, 'formativ-bedomning', 0, 0],
    ]);
    expect(part.overarching.map((g) => [g.letter, g.servedBy])).toEqual([
      ['A', [1, 3]],
      ['B', [2, 3]],
    ]);
    expect(JSON.stringify(part)).not.toMatch(/a1|a2|e-vt|"f"/);
  });

  test('when the school has retired the goals that serve an overarching goal then that goal is a gap', () => {
    const goals = goalsOf('exempelskolan').map((g) => (g.id === 'studiero' ? g : { ...g, status: 'retired' as const }));
    const part = schoolPart(organisation, exempelskolan, goals, []);
    expect(part.goals.map((g) => g.id)).toEqual(['studiero']);
    expect(part.overarching.map((g) => [g.id, g.servedBy])).toEqual([
      ['trygghet', [1]],
      ['resultat', []],
    ]);
    expect(part.focusArea?.goalNumbers).toEqual([]);
  });
});

describe('every school as a manager sees them', () => {
  test('when the demo organisation is mapped then both schools show with their goals, Norrskolan with a gap, and the schools per overarching goal', () => {
    const map = organisationMap(organisation, year, new Map([...new Set(fileGoals.map((g) => g.schoolId))].map((id) => [id, goalsOf(id)])));
    expect(map.schools.map((s) => [s.name, s.goals.length, s.gaps.map((g) => g.id)])).toEqual([
      ['Exempelskolan', 3, []],
      ['Norrskolan', 1, ['resultat']],
    ]);
    expect(map.schools[1]?.focusArea).toBeUndefined();
    expect(map.overarching.map((g) => [g.id, g.schools])).toEqual([
      ['trygghet', 2],
      ['resultat', 1],
    ]);
    expect(map.schoolCount).toBe(2);
  });

  test('when a school has no goals stored then all its overarching goals are gaps', () => {
    const map = organisationMap(organisation, year, new Map([['exempelskolan', goalsOf('exempelskolan')]]));
    expect(map.schools[1]?.gaps.map((g) => g.letter)).toEqual(['A', 'B']);
    expect(map.overarching.map((g) => g.schools)).toEqual([1, 1]);
  });
});
