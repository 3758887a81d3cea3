import type { Running } from '../../src/index';
import { openStores } from '../../src/storage';
import { channelMention, person, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { testConfig } from '../helpers/bot';
import type { ConnectorCall, FakeConnector } from '../helpers/connector';
import { type BotWithConnector, postActivity, startWithConnector } from '../helpers/http';
import { startFormSubmit, writeGoalByTyping } from '../helpers/goalDialogue';
import { rosterRule } from '../helpers/roster';

/**
 * Målsamtal through the front door: Teams-shaped activities POSTed to
 * /api/messages, the bot's calls answered by a local Bot Connector, rows in
 * the test Azurite. The background work (outbox sender, scheduler) runs as
 * in production.
 */

const teachers = ['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan', 'Gustav Berg', 'Hanna Nyström'].map((name, i) => person(name, i + 11));
const answers = (name: string) => ({
  goal: `${name}: eleverna förklarar sina lösningar muntligt för en kamrat varje vecka`,
  how: `${name}: jag inleder varje lektion med ett gemensamt problem och strukturerade samtal`,
  evidence: `${name}: jag följer elevernas förklaringar i exit tickets och i samtalen`,
});

function text(call: ConnectorCall | Record<string, unknown> | undefined): string {
  return JSON.stringify(call && 'body' in call ? call.body : call);
}

describe('målsamtal end to end through /api/messages', () => {
  let bot: BotWithConnector;
  let connector: FakeConnector;
  let running: Running;
  const config = testConfig();

  beforeAll(async () => {
    bot = await startWithConnector(config, { rules: [rosterRule(TEAM.id, [PRINCIPAL, ...teachers])] });
    ({ connector, running } = bot);
  });

  afterAll(() => bot?.stop());

  const post = (activity: unknown): Promise<string> => postActivity(running, activity);

  test('a principal starts a dialogue for five teachers, each writes goals in their own 1:1 chat, and the status card ends at "5 av 5" without any goal text in the channel', async () => {
    const serviceUrl = connector.url;

    // The principal asks for the form in the staff channel.
    await post(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    const form = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Starta målsamtal'));
    expect(text(form)).toContain('Anna Lindqvist');

    // …and submits it: the form says the dialogue is started, and the status card is a new post in the channel.
    const submit = await post(startFormSubmit(serviceUrl, 'form-1', { title: 'Målsamtal HT 2026' }));
    expect(JSON.stringify(JSON.parse(submit))).toContain('Målsamtalet är startat.');
    const statusPost = await connector.waitFor(
      (c) => c.method === 'POST' && c.path === `/v3/conversations/${TEAM.id}/activities` && text(c).includes('0 av 5 har skrivit sina mål'),
      15_000,
    );
    expect(statusPost).toBeDefined();

    // One invitation per teacher, each in a 1:1 chat the bot creates from the roster's user id.
    const created = new Map<string, string>();
    let dialogueId = '';
    for (const teacher of teachers) {
      const create = await connector.waitFor((c) => c.method === 'POST' && c.path === '/v3/conversations' && text(c).includes(teacher.id), 15_000);
      const invitation = await connector.waitFor(
        (c) => c.method === 'POST' && c.conversationId !== TEAM.id && c.at >= create.at && text(c).includes(`Hej ${teacher.name.split(' ')[0]}!`),
        15_000,
      );
      created.set(teacher.id, invitation.conversationId!);
      dialogueId = /"dialogueId":"([^"]+)"/.exec(text(invitation))?.[1] ?? '';
      expect(text(invitation)).toContain('Rut Rektorsson');
      expect(text(invitation)).toContain('Alla elever upplever studiero');
    }
    expect(new Set(created.values()).size).toBe(5);

    // Every teacher writes a goal: starts from the card, types the answers, confirms.
    for (const teacher of teachers) {
      const a = answers(teacher.name);
      const confirmed = await writeGoalByTyping(post, serviceUrl, teacher, dialogueId, a);
      expect(JSON.stringify(JSON.parse(confirmed))).toContain(a.goal.slice(0, 40));
    }

    // The status card is updated in place until it reads 5 of 5.
    await connector.waitFor(
      (c) => c.method === 'PUT' && c.conversationId === TEAM.id && !c.path.endsWith('/form-1') && text(c).includes('5 av 5 har skrivit sina mål'),
      20_000,
    );

    // Nothing sent or updated in the channel carries a teacher's goal text.
    const channelCalls = connector.calls.filter((c) => c.conversationId === TEAM.id && (c.method === 'POST' || c.method === 'PUT'));
    expect(channelCalls.length).toBeGreaterThan(1);
    for (const teacher of teachers) {
      const a = answers(teacher.name);
      for (const call of channelCalls) {
        for (const words of [a.goal, a.how, a.evidence]) expect(text(call)).not.toContain(words);
      }
    }
    // The teachers' 1:1 chats were created once each.
    expect(connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations')).toHaveLength(5);
  }, 60_000);

  test('a teacher who writes "@Målbild starta målsamtal" in the channel is told only the principal can, and no dialogue starts', async () => {
    const before = connector.calls.length;
    await post(channelMention({ serviceUrl: connector.url, from: teachers[0]!, text: 'starta målsamtal' }));
    const reply = await connector.waitFor((c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId === TEAM.id);
    expect(text(reply)).toContain('Bara skolans rektor kan starta målsamtal');
    const stores = await openStores({ connectionString: config.storage.connectionString!, tablePrefix: config.storage.tablePrefix });
    expect(await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toHaveLength(1);
  });
});
