import { join } from 'node:path';
import { GoalChainService, titleOf } from '../../src/domain/goalChain';
import { type Dialogue, type GoalDraft, newParticipation } from '../../src/domain/goalDialogue';
import { ORGANISATION_UNIT_ID } from '../../src/domain/organisation';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';

const organisation = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));
const now = new Date('2026-09-01T08:00:00Z');
const RUT = { aadObjectId: '00000000-0000-4000-8000-00000000a000', userId: '29:rut', name: 'Rut Rektorsson' };
const NILS = { aadObjectId: '00000000-0000-4000-8000-00000000d002', userId: '29:nils', name: 'Nils Norberg' };
const VERA = { aadObjectId: '00000000-0000-4000-8000-00000000d001' };

function principalsDialogue(id: string): Dialogue {
  return {
    id,
    tenantId: 'tenant',
    schoolId: ORGANISATION_UNIT_ID,
    title: 'Målsamtal med rektorerna HT 2026',
    schoolGoals: organisation.overarchingGoals().map(({ id: goalId, title, framework }) => ({ id: goalId, title, serves: framework })),
    deadline: '2026-09-30',
    participants: [RUT, NILS],
    reminders: { enabled: false, daysBefore: [] },
    principal: { aadObjectId: VERA.aadObjectId, userId: '29:vera', name: 'Vera Verksamhetschef' },
    channel: { conversationId: '19:exempelkommun-rektorer@thread.tacv2', serviceUrl: 'https://x/' },
    status: 'open',
    createdAt: now.toISOString(),
  };
}

const goal = (text: string, serves: string[]): GoalDraft => ({ schoolGoalIds: serves, goal: text, supportSkipped: true, followedUp: [] });

describe('the goal chain: a principal’s goals become the school’s', () => {
  const told: { principalAad: string; schoolIds: string[]; key: string }[] = [];
  const effects = {
    schoolGoalsAdopted: async (_dialogue: Dialogue, principalAad: string, schoolIds: string[], key: string) => {
      told.push({ principalAad, schoolIds, key });
    },
  };
  let stores: Stores;
  let chain: GoalChainService;
  beforeAll(async () => {
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('k') });
    chain = new GoalChainService(organisation, stores.goalDialogues, stores.schoolGoals, effects, () => now);
  });

  test('when a principal’s goals are adopted then they are the school’s goals, linked to the dialogue, the overarching goals and the HOWs', async () => {
    const dialogue = principalsDialogue('k1');
    const adoption = await chain.adopt(
      dialogue,
      NILS.aadObjectId,
      [goal('Alla elever läser varje dag', ['resultat']), goal('Trygga raster', ['trygghet'])],
      VERA.aadObjectId,
    );
    expect(adoption.changed).toBe(true);
    expect(adoption.schools.map((school) => school.id)).toEqual(['norrskolan']);
    const goals = (await stores.schoolGoals.list('norrskolan')).filter((g) => g.origin);
    expect(goals).toEqual([
      expect.objectContaining({
        id: 'k1-1',
        title: 'Alla elever läser varje dag',
        serves: ['resultat'],
        hows: ['riktning-skolledning', 'data-skolledning'],
        origin: { dialogueId: 'k1', aadObjectId: NILS.aadObjectId, goalIndex: 0 },
        status: 'active',
        version: 1,
      }),
      expect.objectContaining({ id: 'k1-2', title: 'Trygga raster', serves: ['trygghet'], hows: ['riktning-skolledning'], version: 1 }),
    ]);
    expect(await chain.adoptedGoals(dialogue, NILS.aadObjectId)).toHaveLength(2);
  });

  test('when the same goals are adopted twice then nothing changes; a changed goal is a new version and a removed one is retired', async () => {
    const dialogue = principalsDialogue('k2');
    const first = [goal('Fler elever behöriga till gymnasiet', ['resultat']), goal('Studiero', ['trygghet'])];
    await chain.adopt(dialogue, RUT.aadObjectId, first, VERA.aadObjectId);
    expect((await chain.adopt(dialogue, RUT.aadObjectId, first, VERA.aadObjectId)).changed).toBe(false);
    await chain.adopt(dialogue, RUT.aadObjectId, [goal('Fler elever behöriga till gymnasiet, särskilt i matematik', ['resultat'])], VERA.aadObjectId);
    const goals = await chain.adoptedGoals(dialogue, RUT.aadObjectId);
    expect(goals.map(({ id, title, status, version }) => ({ id, title, status, version }))).toEqual([
      { id: 'k2-1', title: 'Fler elever behöriga till gymnasiet, särskilt i matematik', status: 'active', version: 2 },
      { id: 'k2-2', title: 'Studiero', status: 'retired', version: 2 },
    ]);
    expect((await stores.schoolGoals.history('exempelskolan', 'k2-1')).map((g) => g.version)).toEqual([1, 2]);
  });

  test('when the manager approves confirmed goals then they are adopted; a principal or unconfirmed goals are refused', async () => {
    const dialogue = principalsDialogue('k3');
    await stores.goalDialogues.createDialogue(dialogue, [newParticipation(dialogue.id, RUT, now), newParticipation(dialogue.id, NILS, now)]);
    const stored = (await stores.goalDialogues.getParticipation('k3', NILS.aadObjectId))!;
    const goals = [goal('Varje lärare följer upp läsningen', ['resultat'])];
    await stores.goalDialogues.saveParticipation({ ...stored.value, status: 'done', goals, versions: 1 }, stored.eTag);
    await stores.goalDialogues.saveVersion('k3', NILS.aadObjectId, { version: 1, confirmedAt: now.toISOString(), late: false, goals });

    await expect(chain.approve('tenant', 'k3', NILS.aadObjectId, { aadObjectId: NILS.aadObjectId })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(chain.approve('tenant', 'k3', RUT.aadObjectId, VERA)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const adoption = await chain.approve('tenant', 'k3', NILS.aadObjectId, VERA);
    expect(adoption.goals.find((g) => g.id === 'k3-1')).toMatchObject({ title: 'Varje lärare följer upp läsningen', updatedBy: VERA.aadObjectId });
    expect(told).toEqual([{ principalAad: NILS.aadObjectId, schoolIds: ['norrskolan'], key: 'k3-1.1' }]);
    expect((await chain.approve('tenant', 'k3', NILS.aadObjectId, VERA)).changed).toBe(false);
    expect(told).toHaveLength(1);
  });

  test('when only principals confirm their own goals by the file then a principals’ dialogue adopts on confirmation, a school’s never', () => {
    expect(chain.adoptsOnConfirm(principalsDialogue('k4'))).toBe(false);
    const own = new GoalChainService(
      Object.assign(Object.create(Object.getPrototypeOf(organisation)), {
        file: { ...organisation.file, organisation: { ...organisation.file.organisation, principalsOwnSchoolGoals: true } },
      }),
      stores.goalDialogues,
      stores.schoolGoals,
      effects,
      () => now,
    );
    expect(own.adoptsOnConfirm(principalsDialogue('k4'))).toBe(true);
    expect(own.adoptsOnConfirm({ ...principalsDialogue('k4'), schoolId: 'exempelskolan' })).toBe(false);
  });

  test('when a goal is longer than a school goal’s title then it is cut at a word', () => {
    const title = titleOf(`${'ord '.repeat(80)}slut`);
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title.endsWith('ord…')).toBe(true);
    expect(titleOf('  två\nrader ')).toBe('två rader');
  });
});
