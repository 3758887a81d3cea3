import { TableClient } from '@azure/data-tables';
import type { Running } from '../../src/index';
import { escapeKey } from '../../src/storage/tableKeys';
import type { FakeConnector } from '../helpers/connector';
import { type BotWithConnector, postToMessages, startWithConnector } from '../helpers/http';
import { botAddedToTeam, channelMention, installationUpdate, person, personalMessage, TEAM, TENANT_ID } from '../helpers/activities';
import { azuriteConnectionString } from '../helpers/azurite';
import { testConfig } from '../helpers/bot';

const rektor = person('Rut Rektorsson', 1);
const larare = person('Lars Lärare', 2);

describe('the HTTP server with a local connector', () => {
  let bot: BotWithConnector;
  let connector: FakeConnector;
  let running: Running;
  let tablePrefix: string;

  beforeAll(async () => {
    const config = testConfig();
    tablePrefix = config.storage.tablePrefix;
    bot = await startWithConnector(config);
    ({ connector, running } = bot);
  });

  afterAll(() => bot.stop());

  beforeEach(() => connector.calls.splice(0));

  const post = (activity: unknown): Promise<Response> => postToMessages(running, activity);

  test('when storage answers then /healthz is 200', async () => {
    const response = await fetch(`${running.server.url}/healthz`);
    expect(response.status).toBe(200);
  });

  test('when a teacher writes "hjälp" in the personal chat then a help card reaches the connector within a second', async () => {
    const activity = personalMessage({ serviceUrl: connector.url, from: larare, text: 'hjälp' });
    const started = Date.now();
    const response = await post(activity);
    expect(response.status).toBe(200);
    const call = await connector.waitFor((c) => c.method === 'POST' && c.path.includes('/activities'), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(call.conversationId).toBe(activity.conversation.id);
    const attachments = call.body?.attachments as { contentType: string; content: { body: { text?: string }[] } }[];
    expect(attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(attachments[0]?.content)).toContain('Det här kan du göra');
  });

  test('when a channel message @mentions the bot with "help" then the help card is the reply in that thread', async () => {
    const activity = channelMention({ serviceUrl: connector.url, from: rektor, text: 'help', locale: 'en-US', threadOf: '1700000000000' });
    expect((await post(activity)).status).toBe(200);
    const sent = connector.sentActivities();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.replyToId).toBe(activity.id);
    expect(JSON.stringify(sent[0])).toContain('What you can do');
  });

  test('when the bot is added to a team then it welcomes the channel once and stores the channel reference', async () => {
    const activity = botAddedToTeam({ serviceUrl: connector.url, from: rektor });
    expect((await post(activity)).status).toBe(200);
    expect((await post({ ...activity, id: 'again' })).status).toBe(200);
    const sent = connector.sentActivities(TEAM.id);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain('Hej! Jag är Målbild');

    const table = TableClient.fromConnectionString(azuriteConnectionString(), `${tablePrefix}conversations`, { allowInsecureConnection: true });
    const row = await table.getEntity<Record<string, unknown>>(escapeKey(TENANT_ID), escapeKey(TEAM.id));
    expect(row).toMatchObject({ kind: 'channel', serviceUrl: connector.url, teamId: TEAM.id, active: true });
  });

  test('when the bot is installed in a group chat and then removed then the reference is kept but marked inactive', async () => {
    const add = installationUpdate({ serviceUrl: connector.url, from: larare, action: 'add', kind: 'groupChat' });
    await post(add);
    expect(connector.sentActivities(add.conversation.id)).toHaveLength(1);
    await post(installationUpdate({ serviceUrl: connector.url, from: larare, action: 'remove', kind: 'groupChat' }));
    const table = TableClient.fromConnectionString(azuriteConnectionString(), `${tablePrefix}conversations`, { allowInsecureConnection: true });
    const row = await table.getEntity<Record<string, unknown>>(escapeKey(TENANT_ID), escapeKey(add.conversation.id));
    expect(row.active).toBe(false);
  });

  test('when the body is not JSON then the server answers 400 and stays up', async () => {
    const response = await postToMessages(running, '{not json');
    expect(response.status).toBe(400);
    expect((await fetch(`${running.server.url}/healthz`)).status).toBe(200);
  });

  test('when the body is larger than the limit then the server answers 413', async () => {
    const activity = personalMessage({ serviceUrl: connector.url, from: larare, text: 'x'.repeat(1024 * 1024 + 10) });
    const response = await post(activity);
    expect(response.status).toBe(413);
    expect(connector.calls).toHaveLength(0);
  });
});
