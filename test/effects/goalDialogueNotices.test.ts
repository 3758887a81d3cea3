import type { Dialogue } from '../../src/domain/goalDialogue';
import { GoalDialogueManagement } from '../../src/domain/goalDialogueManagement';
import { GoalDialogueService, type Member } from '../../src/domain/goalDialogueService';
import { goalsFromOrganisation } from '../../src/domain/schoolGoals';
import { GoalDialogueDelivery } from '../../src/effects/goalDialogues';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import { createProactiveDelivery, type ProactiveDelivery } from '../../src/proactive';
import { createHttpConnector } from '../../src/proactive/httpConnector';
import { createScheduler, type Scheduler } from '../../src/scheduler';
import { openStores, type Stores } from '../../src/storage';
import { BOT_ID, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';
import { capturingLogger } from '../helpers/bot';
import { type ConnectorCall, FakeConnector } from '../helpers/connector';
import { DEMO_ORGANISATION } from '../helpers/conversation';

/**
 * What the principal's hand on a dialogue sends, outside the turn: the
 * status card as a post of its own in the channel (or in the start thread
 * when the channel refuses), and the notices of closing, reopening and the
 * principal's reminder, each once, through the outbox. Real Azurite, a
 * local Bot Connector, a clock the test moves.
 */

const teachers: Member[] = ['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan'].map((name, i) => ({
  aadObjectId: `00000000-0000-4000-8000-0000000000${30 + i}`,
  userId: `29:teacher-${i}`,
  name,
  givenName: name.split(' ')[0],
}));
const principal: Member = { aadObjectId: PRINCIPAL.aadObjectId, userId: PRINCIPAL.id, name: PRINCIPAL.name };
const actor = { aadObjectId: PRINCIPAL.aadObjectId };
const THREAD = `${TEAM.id};messageid=1700000000000`;

describe('goal dialogue notices', () => {
  let connector: FakeConnector;
  let stores: Stores;
  let proactive: ProactiveDelivery;
  let scheduler: Scheduler;
  let service: GoalDialogueService;
  let management: GoalDialogueManagement;
  let clock: Date;
  let logLines: Record<string, unknown>[];

  beforeEach(async () => {
    clock = new Date('2026-09-01T10:00:00Z');
    connector = await new FakeConnector().start();
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('n') });
    const organisation = loadOrganisation(DEMO_ORGANISATION);
    await stores.schoolGoals.seed(goalsFromOrganisation(organisation, clock));
    const captured = capturingLogger('info');
    logLines = captured.lines;
    const logger = captured.logger;
    const now = () => clock;
    const http = createHttpConnector({ timeoutMs: 3_000 });
    proactive = createProactiveDelivery(
      { repository: stores.outbox, leases: stores.tenantLeases, connector: http, conversations: stores.conversations, logger, now: () => new Date() },
      { pollIntervalMs: 100, progressIntervalMs: 50 },
    );
    scheduler = createScheduler({ repository: stores.schedule, instanceId: 'test', now, logger });
    const delivery = new GoalDialogueDelivery({
      dialogues: stores.goalDialogues,
      languages: stores.languages,
      outbox: stores.outbox,
      organisation,
      defaultLocale: 'sv-SE',
      timeZone: 'Europe/Stockholm',
      scheduler,
      connector: http,
      now,
      logger,
      proactive,
    });
    delivery.register();
    const clockOfSchool = { now, timeZone: 'Europe/Stockholm' };
    service = new GoalDialogueService(organisation, stores.goalDialogues, stores.schoolGoals, delivery, clockOfSchool);
    management = new GoalDialogueManagement(organisation, service, stores.goalDialogues, delivery, clockOfSchool);
  });

  afterEach(async () => {
    await proactive.stop();
    await scheduler.stop();
    await connector.stop();
  });

  async function start(): Promise<Dialogue> {
    const started = await service.startDialogue(
      organisation(),
      principal,
      {
        tenantId: TENANT_ID,
        conversationId: TEAM.id,
        serviceUrl: connector.url,
        teamId: TEAM.id,
        botId: BOT_ID,
        language: 'sv',
        thread: { conversationId: THREAD, formActivityId: 'form-1' },
      },
      { title: 'Målsamtal HT 2026', goalIds: ['studiero'], deadline: '2026-09-30', participantMode: 'everyone', participantIds: [], reminders: false },
      teachers,
    );
    if (!('dialogue' in started)) throw new Error('not started');
    await service.startedWithoutCard(started.dialogue);
    await scheduler.runDue();
    proactive.start();
    await proactive.sender.idle();
    return (await stores.goalDialogues.getDialogue(TENANT_ID, started.dialogue.id))!.value;
  }

  function organisation() {
    return loadOrganisation(DEMO_ORGANISATION).schoolById('exempelskolan')!;
  }

  const body = (call: ConnectorCall) => JSON.stringify(call.body);
  const inChats = (words: string) =>
    connector.calls.filter(
      (call) => call.method === 'POST' && /\/activities$/.test(call.path) && call.conversationId !== TEAM.id && body(call).includes(words),
    );

  test('when a dialogue starts then its status card is a new post in the channel, not in the thread, and later refreshes go to that post', async () => {
    const dialogue = await start();
    const posts = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === TEAM.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe(`/v3/conversations/${TEAM.id}/activities`);
    expect(body(posts[0]!)).toContain('0 av 3 har skrivit sina mål');
    expect(dialogue.channel.statusActivityId).toBeDefined();
    expect(dialogue.channel.statusConversationId).toBeUndefined();

    clock = new Date(clock.getTime() + 60_000);
    await scheduler.runDue();
    const update = connector.calls.filter((call) => call.method === 'PUT').at(-1)!;
    expect(update.conversationId).toBe(TEAM.id);
    expect(update.path.endsWith(`/activities/${dialogue.channel.statusActivityId}`)).toBe(true);
  });

  test('when the channel refuses a new post then the start form in the thread becomes the status card, with a warning that names nobody', async () => {
    connector.addRule((call) =>
      call.method === 'POST' && call.conversationId === TEAM.id
        ? { status: 403, body: { error: { code: 'Forbidden', message: 'new posts are moderated' } } }
        : undefined,
    );
    const dialogue = await start();
    expect(dialogue.channel.statusActivityId).toBe('form-1');
    expect(dialogue.channel.statusConversationId).toBe(THREAD);
    const update = connector.calls.find((call) => call.method === 'PUT' && call.conversationId === THREAD && call.path.endsWith('/activities/form-1'));
    expect(body(update!)).toContain('0 av 3 har skrivit sina mål');
    const warning = logLines.find((line) => line.level === 40 && String(line.msg).includes('refused a new post'));
    expect(warning).toBeDefined();
    expect(JSON.stringify(warning)).not.toMatch(/Anna|Erik|Fatima|Rut/);
  });

  test('when the principal closes then each teacher who had not finished gets one message about the draft, and closing again sends nothing', async () => {
    const dialogue = await start();
    const anna = (await stores.goalDialogues.getParticipation(dialogue.id, teachers[0]!.aadObjectId))!;
    await stores.goalDialogues.saveParticipation({ ...anna.value, status: 'done', versions: 1 }, anna.eTag);
    const erik = (await stores.goalDialogues.getParticipation(dialogue.id, teachers[1]!.aadObjectId))!;
    await stores.goalDialogues.saveParticipation({ ...erik.value, status: 'in-progress' }, erik.eTag);

    await management.close(TENANT_ID, dialogue.id, actor);
    await management.close(TENANT_ID, dialogue.id, actor);
    await proactive.sender.idle();
    const told = inChats('har avslutat');
    expect(told).toHaveLength(2);
    expect(told.map(body).join()).toContain('Ditt utkast finns kvar. Du kan läsa det med **visa mål**');
    expect(told.map(body).join()).toContain('Du hann inte börja skriva');

    await management.reopen(TENANT_ID, dialogue.id, actor);
    await management.reopen(TENANT_ID, dialogue.id, actor);
    await proactive.sender.idle();
    expect(inChats('har öppnat')).toHaveLength(2);
  });

  test("when the principal reminds a teacher twice in a day then one reminder card goes to that teacher's chat", async () => {
    const dialogue = await start();
    expect((await management.remind(TENANT_ID, dialogue.id, teachers[2]!.aadObjectId, actor)).outcome).toBe('sent');
    expect((await management.remind(TENANT_ID, dialogue.id, teachers[2]!.aadObjectId, actor)).outcome).toBe('alreadyToday');
    await proactive.sender.idle();
    const reminders = inChats('vill gärna läsa dina mål');
    expect(reminders).toHaveLength(1);
    expect(body(reminders[0]!)).toContain('Påminnelse: Målsamtal HT 2026');
  });
});
