import { newParticipation, type Dialogue } from '../../src/domain/goalDialogue';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';

const now = new Date('2026-09-01T08:00:00Z');
const teachers = [
  { aadObjectId: 'aad-1', userId: '29:1', name: 'Lena Lärare' },
  { aadObjectId: 'aad-2', userId: '29:2', name: 'Lars Lärare' },
];

function dialogue(id: string): Dialogue {
  return {
    id,
    tenantId: 'tenant',
    schoolId: 'exempelskolan',
    title: `Målsamtal ${id}`,
    schoolGoals: [{ id: 'studiero', title: 'Studiero', serves: ['trygghet'] }],
    deadline: '2026-09-30',
    participants: teachers,
    reminders: { enabled: true, daysBefore: [7, 2] },
    principal: { aadObjectId: 'aad-p', userId: '29:p', name: 'Rut' },
    channel: { conversationId: '19:c', serviceUrl: 'https://x/' },
    status: 'open',
    createdAt: now.toISOString(),
  };
}

describe('goal dialogues in Table Storage', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('g') });
  });

  test('when a dialogue is created then it, its participations and its index rows can be read back', async () => {
    const d = dialogue('d1');
    await stores.goalDialogues.createDialogue(
      d,
      teachers.map((t) => newParticipation(d.id, t, now)),
    );
    expect((await stores.goalDialogues.getDialogue('tenant', 'd1'))?.value).toEqual(d);
    expect((await stores.goalDialogues.participations(d)).map((p) => p.aadObjectId)).toEqual(['aad-1', 'aad-2']);
    expect((await stores.goalDialogues.dialoguesOfSchool('tenant', 'exempelskolan')).map((s) => s.dialogueId)).toContain('d1');
    expect((await stores.goalDialogues.dialoguesOfTeacher('tenant', 'aad-2')).map((s) => s.dialogueId)).toContain('d1');
  });

  test('when the same dialogue id is created twice then the second is refused', async () => {
    const d = dialogue('d2');
    await stores.goalDialogues.createDialogue(d, []);
    await expect(stores.goalDialogues.createDialogue(d, [])).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  test('when two turns save the same participation from one read then the second is STALE and the first answer stays', async () => {
    const d = dialogue('d3');
    await stores.goalDialogues.createDialogue(
      d,
      teachers.map((t) => newParticipation(d.id, t, now)),
    );
    const read = (await stores.goalDialogues.getParticipation('d3', 'aad-1'))!;
    const long = 'x'.repeat(40000);
    await stores.goalDialogues.saveParticipation(
      { ...read.value, goals: [{ schoolGoalIds: ['studiero'], goal: long, supportSkipped: false, followedUp: [] }] },
      read.eTag,
    );
    await expect(stores.goalDialogues.saveParticipation({ ...read.value, status: 'done' }, read.eTag)).rejects.toMatchObject({ code: 'STALE' });
    expect((await stores.goalDialogues.getParticipation('d3', 'aad-1'))?.value.goals[0]?.goal).toBe(long);
  });

  test('when versions, notes and the active dialogue are saved then they read back', async () => {
    await stores.goalDialogues.saveVersion('d1', 'aad-1', { version: 1, confirmedAt: now.toISOString(), late: false, goals: [] });
    await stores.goalDialogues.saveVersion('d1', 'aad-1', { version: 2, confirmedAt: now.toISOString(), late: true, goals: [] });
    expect((await stores.goalDialogues.versions('d1', 'aad-1', 2)).map((v) => v.late)).toEqual([false, true]);
    await stores.goalDialogues.saveNotes('d1', 'aad-1', { notes: 'Bra samtal', talkHeldOn: '2026-10-01', updatedAt: now.toISOString() });
    expect(await stores.goalDialogues.getNotes('d1', 'aad-1')).toMatchObject({ notes: 'Bra samtal' });
    await stores.goalDialogues.setActiveDialogue('tenant', 'aad-1', 'd1');
    expect(await stores.goalDialogues.activeDialogueOf('tenant', 'aad-1')).toBe('d1');
    await stores.goalDialogues.setActiveDialogue('tenant', 'aad-1', undefined);
    expect(await stores.goalDialogues.activeDialogueOf('tenant', 'aad-1')).toBeUndefined();
  });
});

describe('school goals in Table Storage', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('s') });
  });
  const goal = {
    schoolId: 'skolan',
    id: 'studiero',
    title: 'Studiero',
    serves: ['trygghet'],
    status: 'active' as const,
    position: 0,
    version: 1,
    updatedAt: now.toISOString(),
    updatedBy: 'organisation file',
  };

  test('when goals are seeded twice then an edit made in Teams is not overwritten', async () => {
    await stores.schoolGoals.seed([goal]);
    await stores.schoolGoals.saveVersion({ ...goal, title: 'Studiero i alla klassrum', version: 2, updatedBy: 'aad-p' }, 1);
    await stores.schoolGoals.seed([goal]);
    expect((await stores.schoolGoals.list('skolan'))[0]).toMatchObject({ title: 'Studiero i alla klassrum', version: 2 });
    expect((await stores.schoolGoals.history('skolan', 'studiero')).map((g) => g.title)).toEqual(['Studiero', 'Studiero i alla klassrum']);
  });

  test('when a goal is saved from a stale version then it is refused', async () => {
    await expect(stores.schoolGoals.saveVersion({ ...goal, version: 2 }, 1)).rejects.toMatchObject({ code: 'STALE' });
  });

  test('when a goal links up the chain then its HOWs, areas and origin are read back, also in its history', async () => {
    const linked = {
      ...goal,
      schoolId: 'norrskolan',
      id: 'lasa',
      hows: ['data-skolledning'],
      areas: ['skua'],
      origin: { dialogueId: 'd-1', aadObjectId: 'aad-p', goalIndex: 1 },
    };
    await stores.schoolGoals.saveVersion(linked, 0);
    expect(await stores.schoolGoals.list('norrskolan')).toEqual([linked]);
    expect(await stores.schoolGoals.history('norrskolan', 'lasa')).toEqual([linked]);
  });
});
