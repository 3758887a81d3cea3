import { networkInterfaces } from 'node:os';
import { TableClient } from '@azure/data-tables';
import { start, type Running } from '../../src/index';
import { escapeKey } from '../../src/storage/tableKeys';
import { person, personalMessage, TENANT_ID } from '../helpers/activities';
import { azuriteConnectionString } from '../helpers/azurite';
import { capturingLogger, testConfig } from '../helpers/bot';
import { FakeConnector } from '../helpers/connector';

/** An address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
}

describe('local mode (no BOT_ID): nobody is authenticated, so the bot stays on this machine', () => {
  let connector: FakeConnector;
  let running: Running;
  let tablePrefix: string;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    const config = testConfig();
    tablePrefix = config.storage.tablePrefix;
    // No host given: the configuration decides.
    running = await start(config, capturingLogger('silent').logger);
  });

  afterAll(async () => {
    await running.stop();
    await connector.stop();
  });

  beforeEach(() => connector.calls.splice(0));

  async function storedReference(conversationId: string): Promise<Record<string, unknown> | undefined> {
    const table = TableClient.fromConnectionString(azuriteConnectionString(), `${tablePrefix}conversations`, { allowInsecureConnection: true });
    try {
      return await table.getEntity<Record<string, unknown>>(escapeKey(TENANT_ID), escapeKey(conversationId));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  function post(activity: unknown): Promise<Response> {
    return fetch(`${running.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  }

  test("when HOST is not set then the server answers on 127.0.0.1 and not on the machine's other addresses", async () => {
    expect((await fetch(`${running.server.url}/healthz`)).status).toBe(200);
    const address = externalAddress();
    if (!address) return; // A machine with loopback only has nothing else to refuse.
    await expect(fetch(`http://${address}:${running.server.port}/healthz`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
  });

  test('when an unauthenticated activity names a service URL on another host then it gets 400 and no conversation reference is stored', async () => {
    const activity = personalMessage({ serviceUrl: 'https://smba.trafficmanager.net/emea/', from: person('Otto Outsider', 821), text: 'hjälp' });
    const response = await post(activity);
    expect(response.status).toBe(400);
    expect(await storedReference(activity.conversation.id)).toBeUndefined();
    expect(connector.calls).toEqual([]);
  });

  test('when an unauthenticated activity names a connector on localhost then the turn runs and the reference is stored', async () => {
    const serviceUrl = connector.url.replace('127.0.0.1', 'localhost');
    const activity = personalMessage({ serviceUrl, from: person('Lisa Local', 822), text: 'hjälp' });
    expect((await post(activity)).status).toBe(200);
    expect(connector.sentActivities(activity.conversation.id)).toHaveLength(1);
    expect(await storedReference(activity.conversation.id)).toMatchObject({ serviceUrl });
  });
});
