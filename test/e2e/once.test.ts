import { VERBS } from '../../src/cards/verbs';
import type { Running } from '../../src/index';
import { openStores, type Stores } from '../../src/storage';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { testConfig } from '../helpers/bot';
import { inputsOf } from '../helpers/cards';
import type { ConnectorCall, FakeConnector } from '../helpers/connector';
import { eventually } from '../helpers/eventually';
import { localDatePlus } from '../helpers/goalDialogue';
import { type BotWithConnector, postActivity, postToMessages, startWithConnector } from '../helpers/http';
import { rosterRule } from '../helpers/roster';

/**
 * Every activity takes effect once, through the front door: the same
 * activity POSTed twice (Teams' redelivery), a form submitted twice, two
 * answers at the same moment; the real server on Azurite, replies at a
 * local Bot Connector, the background work running as in production.
 */

const teachers = ['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan'].map((name, i) => person(name, i + 31));
const anna = teachers[0]!;
const LONG = (what: string) => `${what}: eleverna förklarar sina lösningar muntligt för en kamrat varje vecka`;

const text = (call: ConnectorCall) => JSON.stringify(call.body);

describe('every activity takes effect once, through /api/messages', () => {
  let bot: BotWithConnector;
  let connector: FakeConnector;
  let running: Running;
  let stores: Stores;
  let dialogueId: string;
  const config = testConfig();
  const post = (activity: unknown): Promise<string> => postActivity(running, activity);

  beforeAll(async () => {
    bot = await startWithConnector(config, { rules: [rosterRule(TEAM.id, [PRINCIPAL, ...teachers])] });
    ({ connector, running } = bot);
    stores = await openStores({ connectionString: config.storage.connectionString!, tablePrefix: config.storage.tablePrefix });
  });

  afterAll(() => bot?.stop());

  test("when the principal's start form is submitted twice then one dialogue starts and each teacher is invited once", async () => {
    const serviceUrl = connector.url;
    await post(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    const form = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Starta målsamtal'));
    const { formId } = inputsOf(form.body);
    expect(formId).toMatch(/^\d{8}-[0-9a-f]{10}$/);
    const data = {
      formId,
      title: 'Målsamtal HT 2026',
      goalIds: 'studiero',
      deadline: localDatePlus(20),
      participantMode: 'everyone',
      participantIds: '',
      reminders: 'true',
      schoolId: 'exempelskolan',
    };
    const submit = () => post(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, where: 'channel', replyToId: 'form-1', data }));
    const answers = [await submit(), await submit()];
    for (const answer of answers) expect(answer).toContain('Målsamtalet är startat.');
    const dialogues = await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan');
    expect(dialogues).toHaveLength(1);
    dialogueId = dialogues[0]!.dialogueId;
    const invitations = () => connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    await eventually(() => invitations().length >= teachers.length);
    // Give a second invitation job time to show, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(invitations()).toHaveLength(teachers.length);
  }, 30_000);

  test('when "hjälp" is POSTed twice with the same activity id then one help card is sent', async () => {
    const activity = personalMessage({ serviceUrl: connector.url, from: anna, text: 'hjälp' });
    const before = connector.calls.length;
    await post(activity);
    await post(activity);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = connector.calls.slice(before).filter((c) => c.method === 'POST' && text(c).includes('Det här kan du göra'));
    expect(replies).toHaveLength(1);
  });

  test("when a teacher's card answer is POSTed twice with the same activity id then both are answered 200 and it is stored once", async () => {
    const serviceUrl = connector.url;
    const press = (verb: string, extra: Record<string, unknown> = {}) =>
      cardAction({ serviceUrl, from: anna, verb, where: 'personal', data: { dialogueId, ...extra } });
    await post(press(VERBS.goalsBegin));
    await post(press(VERBS.goalsAnswer, { goalIndex: 0, step: 'schoolGoals', goalIds: 'studiero' }));
    const answer = press(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: LONG('Mål') });
    const first = await postToMessages(running, answer);
    const second = await postToMessages(running, answer);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await first.text()).toContain('Hur kommer du att arbeta');
    const participation = (await stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value;
    expect(participation.cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when two card answers for the same step are POSTed at the same moment then one applies and the other is told its card is old', async () => {
    const serviceUrl = connector.url;
    const answer = (words: string) =>
      cardAction({ serviceUrl, from: anna, verb: VERBS.goalsAnswer, where: 'personal', data: { dialogueId, goalIndex: 0, step: 'how', answer: words } });
    const before = connector.calls.length;
    const bodies = await Promise.all([post(answer(LONG('Första'))), post(answer(LONG('Andra')))]);
    for (const body of bodies) expect(body).toContain('Hur märker du att ni är på väg');
    const participation = (await stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value;
    expect(participation.cursor).toEqual({ goalIndex: 0, step: 'evidence' });
    expect([LONG('Första'), LONG('Andra')]).toContain(participation.goals[0]?.how);
    const old = await connector.waitFor((c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && text(c).includes('tidigare steg'));
    expect(old).toBeDefined();
    expect(connector.calls.slice(before).filter((c) => c.method === 'POST' && text(c).includes('tidigare steg'))).toHaveLength(1);
  });
});
