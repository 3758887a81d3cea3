import { GoalDialogueDelivery, promptJobId } from '../../src/effects/goalDialogues';
import { FIRST_START_BATCH, START_BATCH, startBatches } from '../../src/effects/goalDialogueStartPacing';
import { type Dialogue, goalDraftSchema } from '../../src/domain/goalDialogue';
import { GoalDialogueService, type Member } from '../../src/domain/goalDialogueService';
import { goalsFromOrganisation } from '../../src/domain/schoolGoals';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import { createProactiveDelivery, type ProactiveDelivery } from '../../src/proactive';
import { createHttpConnector } from '../../src/proactive/httpConnector';
import { createScheduler, type Scheduler } from '../../src/scheduler';
import { zonedTime } from '../../src/time';
import { openStores, type Stores } from '../../src/storage';
import { BOT_ID, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';
import { capturingLogger } from '../helpers/bot';
import { type ConnectorCall, FakeConnector } from '../helpers/connector';
import { DEMO_ORGANISATION } from '../helpers/conversation';

/**
 * What follows a goal dialogue outside the turn: invitations through the
 * outbox, reminders and digests through the scheduler, the status card
 * refreshed in place. Real Azurite, a local Bot Connector, a clock the test
 * moves.
 */

const teachers: Member[] = ['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan'].map((name, i) => ({
  aadObjectId: `00000000-0000-4000-8000-0000000000${20 + i}`,
  userId: `29:teacher-${i}`,
  name,
  givenName: name.split(' ')[0],
}));
const principal: Member = { aadObjectId: PRINCIPAL.aadObjectId, userId: PRINCIPAL.id, name: PRINCIPAL.name };

type DeliveryDeps = ConstructorParameters<typeof GoalDialogueDelivery>[0];

/** What a delivery needs besides its proactive sender, wired as the program wires it. */
function deliveryDeps(
  stores: Stores,
  organisation: DeliveryDeps['organisation'],
  parts: Pick<DeliveryDeps, 'scheduler' | 'connector' | 'now' | 'logger'>,
): Omit<DeliveryDeps, 'proactive'> {
  return {
    dialogues: stores.goalDialogues,
    outbox: stores.outbox,
    organisation,
    languages: stores.languages,
    defaultLocale: 'sv-SE',
    timeZone: 'Europe/Stockholm',
    ...parts,
  };
}

describe('goal dialogue delivery', () => {
  let connector: FakeConnector;
  let stores: Stores;
  let proactive: ProactiveDelivery;
  let scheduler: Scheduler;
  let service: GoalDialogueService;
  let delivery: GoalDialogueDelivery;
  let clock: Date;
  let dialogue: Dialogue;

  beforeEach(async () => {
    clock = new Date('2026-09-01T10:00:00Z');
    connector = await new FakeConnector().start();
    // Fatima has not installed Målbild: creating her 1:1 chat is refused.
    connector.addRule((call) =>
      call.method === 'POST' && call.path === '/v3/conversations' && JSON.stringify(call.body).includes('29:teacher-2')
        ? { status: 403, body: { error: { code: 'Forbidden', message: 'The bot is not installed for the user' } } }
        : undefined,
    );
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('d') });
    const organisation = loadOrganisation(DEMO_ORGANISATION);
    await stores.schoolGoals.seed(goalsFromOrganisation(organisation, clock));
    const { logger } = capturingLogger('warn');
    const now = () => clock;
    const http = createHttpConnector({ timeoutMs: 3_000 });
    proactive = createProactiveDelivery(
      { repository: stores.outbox, leases: stores.tenantLeases, connector: http, conversations: stores.conversations, logger, now: () => new Date() },
      { pollIntervalMs: 100, progressIntervalMs: 50 },
    );
    scheduler = createScheduler({ repository: stores.schedule, instanceId: 'test', now, logger });
    delivery = new GoalDialogueDelivery({ ...deliveryDeps(stores, organisation, { scheduler, connector: http, now, logger }), proactive });
    delivery.register();
    service = new GoalDialogueService(organisation, stores.goalDialogues, stores.schoolGoals, delivery, { now, timeZone: 'Europe/Stockholm' });
    const school = organisation.schoolById('exempelskolan')!;
    const started = await service.startDialogue(
      school,
      principal,
      { tenantId: TENANT_ID, conversationId: TEAM.id, serviceUrl: connector.url, teamId: TEAM.id, botId: BOT_ID, language: 'sv' },
      { title: 'Målsamtal HT 2026', goalIds: ['studiero'], deadline: '2026-09-30', participantMode: 'everyone', participantIds: [], reminders: true },
      teachers,
    );
    if (!('dialogue' in started)) throw new Error('not started');
    dialogue = await service.statusCardPosted(started.dialogue, 'status-1');
    // The start job: participations, invitations and reminders, in the background.
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    proactive.start();
    await proactive.sender.idle();
  });

  afterEach(async () => {
    await proactive.stop();
    await scheduler.stop();
    await connector.stop();
  });

  const sends = (predicate: (call: ConnectorCall) => boolean = () => true) =>
    connector.calls.filter((call) => call.method === 'POST' && /\/activities$/.test(call.path) && predicate(call));
  const statusUpdates = () => connector.calls.filter((call) => call.method === 'PUT' && call.path.endsWith('/activities/status-1'));
  const body = (call: ConnectorCall) => JSON.stringify(call.body);

  async function confirm(teacher: Member): Promise<void> {
    const stored = (await stores.goalDialogues.getParticipation(dialogue.id, teacher.aadObjectId))!;
    await stores.goalDialogues.saveParticipation({ ...stored.value, status: 'done', confirmedAt: clock.toISOString(), versions: 1 }, stored.eTag);
    await delivery.goalsConfirmed(dialogue, stored.value);
    await delivery.progressChanged(dialogue);
  }

  test('when a dialogue starts then each reachable teacher gets one invitation by first name, and the one without the app is counted as not reached', async () => {
    const invitations = sends();
    expect(invitations).toHaveLength(2);
    expect(invitations.map(body).join()).toContain('Hej Anna!');
    expect(invitations.map(body).join()).toContain('Hej Erik!');
    expect([...(await delivery.unreachable(dialogue))]).toEqual([[teachers[2]!.aadObjectId, 'not-installed']]);
    expect((await proactive.progress(promptJobId(dialogue.id)))?.failedByReason).toEqual({ Forbidden: 1 });

    await scheduler.runDue(new Date(clock.getTime() + 60_000));
    const update = statusUpdates().at(-1)!;
    expect(body(update)).toContain('0 av 3 har skrivit sina mål');
    expect(body(update)).toContain('1 har inte nåtts: 1 saknar Målbild');
  });

  test('when reminders are on then they are planned at 08:00 Stockholm time 7 and 2 days before the deadline, and go only to those not done', async () => {
    const seven = await scheduler.get(`goal-reminder|${dialogue.id}|7d`);
    const two = await scheduler.get(`goal-reminder|${dialogue.id}|2d`);
    expect(seven?.dueAt).toBe(zonedTime('2026-09-23', '08:00', 'Europe/Stockholm').toISOString());
    expect(seven?.dueAt).toBe('2026-09-23T06:00:00.000Z');
    expect(two?.dueAt).toBe('2026-09-28T06:00:00.000Z');

    await confirm(teachers[0]!);
    clock = new Date('2026-09-23T06:00:30Z');
    await scheduler.runDue();
    await proactive.sender.idle();
    const reminders = sends((call) => body(call).includes('Påminnelse'));
    expect(reminders).toHaveLength(1);
    expect(body(reminders[0]!)).toContain('om 7 dagar');
    // Erik's chat was created for the invitation and is used again.
    expect(connector.calls.filter((call) => call.method === 'POST' && call.path === '/v3/conversations' && body(call).includes('29:teacher-1'))).toHaveLength(
      1,
    );
  });

  test("when a new läsår begins then a check-in offers only that läsår's confirmed goals, not last year's", async () => {
    const anna = teachers[0]!;
    const stored = (await stores.goalDialogues.getParticipation(dialogue.id, anna.aadObjectId))!;
    const goal = goalDraftSchema.parse({
      schoolGoalIds: ['studiero'],
      goal: 'Lugn start på varje lektion',
      how: 'Tydlig struktur',
      evidence: 'Elevenkät',
      supportSkipped: true,
    });
    await stores.goalDialogues.saveParticipation(
      { ...stored.value, goals: [goal], status: 'done', confirmedAt: clock.toISOString(), versions: 1 },
      stored.eTag,
    );
    expect(await service.confirmedGoals(TENANT_ID, anna.aadObjectId)).toEqual([
      { id: `${dialogue.id}:1`, text: 'Målsamtal HT 2026: Lugn start på varje lektion' },
    ]);

    clock = new Date('2027-09-01T10:00:00Z');
    expect(await service.confirmedGoals(TENANT_ID, anna.aadObjectId)).toEqual([]);
  });

  test('when two teachers confirm within minutes then the principal gets one digest naming both, and the status card counts them', async () => {
    await confirm(teachers[0]!);
    clock = new Date(clock.getTime() + 60_000);
    await confirm(teachers[1]!);
    clock = new Date(clock.getTime() + 15 * 60_000);
    await scheduler.runDue();
    await proactive.sender.idle();
    const digests = sends((call) => body(call).includes('Nya mål'));
    expect(digests).toHaveLength(1);
    expect(body(digests[0]!)).toContain('Anna Lindqvist, Erik Johansson');
    expect(body(statusUpdates().at(-1)!)).toContain('2 av 3 har skrivit sina mål');
    // The digest went to the principal's own 1:1 chat, created from her user id.
    const principalChat = connector.calls.find((call) => call.path === '/v3/conversations' && body(call).includes(PRINCIPAL.id));
    expect(principalChat).toBeDefined();
  });
});

describe('the start of a large goal dialogue', () => {
  const many: Member[] = Array.from({ length: 250 }, (_, i) => ({
    aadObjectId: `00000000-0000-4000-8000-${String(100_000 + i).padStart(12, '0')}`,
    userId: `29:many-${i}`,
    name: `Lärare ${i}`,
  }));

  test('when the principal submits then only the dialogue is written, and the start job, interrupted after its first batch and run again, invites everyone once and keeps what a teacher began', async () => {
    const clock = new Date('2026-09-01T10:00:00Z');
    const now = () => clock;
    const stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('ds') });
    const organisation = loadOrganisation(DEMO_ORGANISATION);
    await stores.schoolGoals.seed(goalsFromOrganisation(organisation, clock));
    const { logger } = capturingLogger('warn');
    const http = createHttpConnector({ timeoutMs: 3_000 });
    const proactive = createProactiveDelivery({
      repository: stores.outbox,
      leases: stores.tenantLeases,
      connector: http,
      conversations: stores.conversations,
      logger,
      now,
    });
    const scheduler = createScheduler({ repository: stores.schedule, instanceId: 'test', now, logger });
    const deps = deliveryDeps(stores, organisation, { scheduler, connector: http, now, logger });
    const delivery = new GoalDialogueDelivery({ ...deps, proactive });
    delivery.register();
    const service = new GoalDialogueService(organisation, stores.goalDialogues, stores.schoolGoals, delivery, { now, timeZone: 'Europe/Stockholm' });
    const started = await service.startDialogue(
      organisation.schoolById('exempelskolan')!,
      principal,
      {
        tenantId: TENANT_ID,
        conversationId: TEAM.id,
        serviceUrl: 'https://connector.invalid/',
        teamId: TEAM.id,
        botId: BOT_ID,
        language: 'sv',
        statusActivityId: 'form-9',
      },
      { title: 'Målsamtal HT 2026', goalIds: ['studiero'], deadline: '2026-09-30', participantMode: 'everyone', participantIds: [], reminders: true },
      many,
    );
    if (!('dialogue' in started)) throw new Error('not started');
    const dialogue = await service.statusCardPosted(started.dialogue, 'form-9');
    expect(dialogue.channel.statusActivityId).toBe('form-9');
    // The submit wrote the dialogue and the job, nothing per teacher.
    expect(await stores.goalDialogues.participations(dialogue)).toEqual([]);
    expect(await stores.outbox.getJob(promptJobId(dialogue.id))).toBeUndefined();
    expect(await scheduler.get(`goal-dialogue-start|${dialogue.id}`)).toMatchObject({ status: 'pending' });

    // A run that dies while queueing its second batch.
    let enqueues = 0;
    const dying = new GoalDialogueDelivery({
      ...deps,
      proactive: {
        ...proactive,
        enqueue: async (job, recipients) => {
          enqueues += 1;
          if (enqueues === 2) throw new Error('the process died here');
          return proactive.enqueue(job, recipients);
        },
      },
    });
    await expect(dying.prepareDialogue({ tenantId: TENANT_ID, dialogueId: dialogue.id })).rejects.toThrow('died');
    expect((await stores.outbox.listRecipients(promptJobId(dialogue.id))).length).toBe(FIRST_START_BATCH);

    // Meanwhile a teacher of the first batch began writing.
    const first = (await stores.goalDialogues.getParticipation(dialogue.id, many[0]!.aadObjectId))!;
    await stores.goalDialogues.saveParticipation({ ...first.value, status: 'in-progress' }, first.eTag);

    let resumedBatches = 0;
    const again = new GoalDialogueDelivery({
      ...deps,
      proactive: { ...proactive, enqueue: async (job, recipients) => ((resumedBatches += 1), proactive.enqueue(job, recipients)) },
    });
    await again.prepareDialogue({ tenantId: TENANT_ID, dialogueId: dialogue.id });
    // It went on from the batch the outbox did not hold yet: every batch but the first.
    expect(startBatches(many.length)).toEqual([0, FIRST_START_BATCH, FIRST_START_BATCH + START_BATCH, FIRST_START_BATCH + 2 * START_BATCH]);
    expect(resumedBatches).toBe(3);
    const rows = await stores.outbox.listRecipients(promptJobId(dialogue.id));
    expect(new Set(rows.map((row) => row.key)).size).toBe(250);
    expect(rows).toHaveLength(250);
    const participations = await stores.goalDialogues.participations(dialogue);
    expect(participations).toHaveLength(250);
    expect(participations.find((p) => p.aadObjectId === many[0]!.aadObjectId)?.status).toBe('in-progress');
    expect((await stores.goalDialogues.dialoguesOfTeacher(TENANT_ID, many[249]!.aadObjectId)).map((s) => s.dialogueId)).toEqual([dialogue.id]);
    expect(await scheduler.get(`goal-reminder|${dialogue.id}|7d`)).toBeDefined();
    await scheduler.stop();
  });
});
