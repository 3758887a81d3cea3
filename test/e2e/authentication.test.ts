import { TableClient } from '@azure/data-tables';
import { connectorTokenProvider } from '../../src/bot';
import type { Config } from '../../src/config';
import { start, type Running } from '../../src/index';
import { freePort } from '../../src/storage/embeddedAzurite';
import { escapeKey } from '../../src/storage/tableKeys';
import { person, personalMessage, TENANT_ID } from '../helpers/activities';
import { azuriteConnectionString } from '../helpers/azurite';
import { capturingLogger, testConfig } from '../helpers/bot';
import { FakeConnector } from '../helpers/connector';
import { LOCAL_CHANNEL_ISSUER, LocalIdentity } from '../helpers/localIdentity';

const APP_ID = '6e5f4c3b-2a19-4d8e-9f70-1a2b3c4d5e6f';
const OTHER_APP_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
const SKILL_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

interface Harness {
  connector: FakeConnector;
  identity: LocalIdentity;
  running: Running;
  config: Config;
  lines: Record<string, unknown>[];
}

async function startAuthenticated(identity: LocalIdentity, connector: FakeConnector, env: Record<string, string>): Promise<Harness> {
  const config = testConfig({
    BOT_ID: APP_ID,
    BOT_OPENID_METADATA_URL: identity.openIdMetadataUrl,
    BOT_TOKEN_ISSUER: LOCAL_CHANNEL_ISSUER,
    BOT_LOGIN_URL: identity.loginUrl,
    ...env,
  });
  const { logger, lines } = capturingLogger('info');
  const running = await start(config, logger, { host: '127.0.0.1' });
  return { connector, identity, running, config, lines };
}

function post(running: Running, activity: unknown, authorization?: string): Promise<Response> {
  return fetch(`${running.server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
}

async function storedReference(config: Config, conversationId: string): Promise<Record<string, unknown> | undefined> {
  const table = TableClient.fromConnectionString(azuriteConnectionString(), `${config.storage.tablePrefix}conversations`, { allowInsecureConnection: true });
  try {
    return await table.getEntity<Record<string, unknown>>(escapeKey(TENANT_ID), escapeKey(conversationId));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

describe('authentication with a password, against a local channel identity', () => {
  let h: Harness;
  let consoleCalls: unknown[][];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    const identity = await new LocalIdentity().start();
    const connector = await new FakeConnector().start();
    h = await startAuthenticated(identity, connector, { BOT_PASSWORD: 'local-secret' });
  });

  afterAll(async () => {
    await h.running.stop();
    await h.connector.stop();
    await h.identity.stop();
  });

  beforeEach(() => {
    h.connector.calls.splice(0);
    h.lines.splice(0);
    consoleCalls = [];
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args)));
    }
  });

  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  test('when Teams sends a message with a token signed by the channel key then the bot replies with a token from the configured token endpoint', async () => {
    const from = person('Tilda Token', 801);
    const activity = personalMessage({ serviceUrl: h.connector.url, from, text: 'hjälp' });
    const token = h.identity.channelToken({ aud: APP_ID, serviceurl: h.connector.url });

    const response = await post(h.running, activity, `Bearer ${token}`);

    expect(response.status).toBe(200);
    const reply = await h.connector.waitFor((call) => call.method === 'POST' && call.path.includes('/activities'));
    expect(reply.headers.authorization).toBe(`Bearer ${h.identity.issuedToken}`);
    expect(h.identity.tokenRequests).toHaveLength(1);
    expect(h.identity.tokenRequests[0]).toMatchObject({
      path: '/botframework.com/oauth2/v2.0/token',
      fields: { grant_type: 'client_credentials', client_id: APP_ID, client_secret: 'local-secret', scope: 'https://api.botframework.com/.default' },
    });
    expect(await storedReference(h.config, activity.conversation.id)).toMatchObject({ serviceUrl: h.connector.url });
    expect(consoleCalls).toEqual([]);
  });

  test('when messages come from two service URLs in turn then each reply goes to its own, with a token, although the clients are reused', async () => {
    const other = await new FakeConnector().start();
    try {
      const from = person('Rut Region', 805);
      for (const connector of [h.connector, other, h.connector, other]) {
        const activity = personalMessage({ serviceUrl: connector.url, from, text: 'hjälp' });
        const token = h.identity.channelToken({ aud: APP_ID, serviceurl: connector.url });
        const sentBefore = connector.sentActivities().length;

        expect((await post(h.running, activity, `Bearer ${token}`)).status).toBe(200);

        const replies = connector.sentActivities().slice(sentBefore);
        expect(replies).toHaveLength(1);
        expect(replies[0]).toMatchObject({ serviceUrl: connector.url, conversation: { id: activity.conversation.id } });
      }
      for (const call of [...h.connector.calls, ...other.calls].filter((c) => c.method === 'POST' && c.path.includes('/activities')))
        expect(call.headers.authorization).toBe(`Bearer ${h.identity.issuedToken}`);
      expect(other.sentActivities()).toHaveLength(2);
    } finally {
      await other.stop();
    }
  });

  test('when the outbox asks for a connector token then it gets the same token from the same cache', async () => {
    const requestsBefore = h.identity.tokenRequests.length;
    await expect(connectorTokenProvider(h.config)()).resolves.toBe(h.identity.issuedToken);
    expect(h.identity.tokenRequests.length).toBe(Math.max(requestsBefore, 1));
  });

  const now = () => Math.floor(Date.now() / 1000);
  const forgeries: [string, (identity: LocalIdentity, serviceUrl: string) => string | undefined, string][] = [
    ['no Authorization header', () => undefined, 'no token'],
    ['a header that is not a bearer token', () => 'Basic dXNlcjpwYXNz', 'not a bearer JWT'],
    ['a token signed by a key the channel did not publish', (i, url) => `Bearer ${i.tokenSignedByStranger({ aud: APP_ID, serviceurl: url })}`, 'bad signature'],
    [
      'an expired token',
      (i, url) => `Bearer ${i.channelToken({ aud: APP_ID, serviceurl: url, nbf: now() - 7200, iat: now() - 7200, exp: now() - 600 })}`,
      'token expired',
    ],
    [
      'a token not yet valid',
      (i, url) => `Bearer ${i.channelToken({ aud: APP_ID, serviceurl: url, nbf: now() + 600, iat: now() + 600, exp: now() + 4200 })}`,
      'token not yet valid',
    ],
    ['a token with alg none', (i, url) => `Bearer ${i.unsignedToken({ aud: APP_ID, serviceurl: url })}`, 'signing algorithm none not allowed'],
    [
      'an HS256 token keyed with the public key',
      (i, url) => `Bearer ${i.tokenHs256WithPublicKey({ aud: APP_ID, serviceurl: url })}`,
      'signing algorithm HS256 not allowed',
    ],
    ['a token for another bot (audience)', (i, url) => `Bearer ${i.channelToken({ aud: OTHER_APP_ID, serviceurl: url })}`, 'audience is not this bot'],
    [
      'a token from another issuer',
      (i, url) => `Bearer ${i.channelToken({ aud: APP_ID, serviceurl: url, iss: 'https://api.botframework.com' })}`,
      'issuer is not the channel',
    ],
    [
      'a token for another service URL',
      (i) => `Bearer ${i.channelToken({ aud: APP_ID, serviceurl: 'https://smba.trafficmanager.net/emea/' })}`,
      'serviceurl claim does not match the activity',
    ],
    [
      'an Emulator-issued token',
      (i) => `Bearer ${i.channelToken({ iss: EMULATOR_ISSUER, aud: APP_ID, appid: APP_ID, ver: '1.0', serviceurl: undefined })}`,
      'issuer is not the channel',
    ],
    [
      'a skill-issued token (another bot)',
      (i) => `Bearer ${i.channelToken({ iss: SKILL_ISSUER, aud: APP_ID, azp: OTHER_APP_ID, ver: '2.0', serviceurl: undefined })}`,
      'issuer is not the channel',
    ],
  ];

  test.each(forgeries)(
    'when a request comes with %s then it gets 401 with an empty body, one warning, nothing sent and nothing stored',
    async (_name, forge, reason) => {
      const from = person('Fanny Forgery', 802);
      const activity = personalMessage({ serviceUrl: h.connector.url, from, text: 'hjälp' });
      const authorization = forge(h.identity, h.connector.url);

      const response = await post(h.running, activity, authorization);

      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(h.connector.calls).toEqual([]);
      expect(await storedReference(h.config, activity.conversation.id)).toBeUndefined();
      const warnings = h.lines.filter((line) => (line.level as number) >= 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, msg: 'request refused: authentication failed', reason });
      const token = authorization?.split(' ')[1];
      if (token) expect(JSON.stringify(h.lines)).not.toContain(token);
      expect(consoleCalls).toEqual([]);
    },
  );

  test('when an unauthenticated request carries a malformed activity then it still gets 401, not 400', async () => {
    const response = await post(h.running, { type: 42 });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
  });
});

describe("authentication when the channel's signing keys cannot be loaded", () => {
  test('when the OpenID metadata does not answer then a request gets 503 (the channel retries), nothing runs and nothing is sent', async () => {
    const identity = await new LocalIdentity().start();
    const connector = await new FakeConnector().start();
    const config = testConfig({
      BOT_ID: APP_ID,
      BOT_PASSWORD: 'local-secret',
      BOT_OPENID_METADATA_URL: `http://127.0.0.1:${await freePort()}/v1/.well-known/openidconfiguration`,
      BOT_TOKEN_ISSUER: LOCAL_CHANNEL_ISSUER,
      BOT_LOGIN_URL: identity.loginUrl,
    });
    const { logger, lines } = capturingLogger('info');
    const running = await start(config, logger, { host: '127.0.0.1' });
    try {
      const activity = personalMessage({ serviceUrl: connector.url, from: person('Kim Keyless', 804), text: 'hjälp' });
      const response = await post(running, activity, `Bearer ${identity.channelToken({ aud: APP_ID, serviceurl: connector.url })}`);
      expect(response.status).toBe(503);
      expect(await response.text()).toBe('');
      expect(connector.calls).toEqual([]);
      expect(lines.filter((line) => (line.level as number) >= 40)).toMatchObject([{ level: 40, status: 503, msg: 'request refused: authentication failed' }]);
    } finally {
      await running.stop();
      await connector.stop();
      await identity.stop();
    }
  });
});

describe('authentication with a user-assigned managed identity, against a local App Service identity endpoint', () => {
  let h: Harness;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  beforeAll(async () => {
    const identity = await new LocalIdentity().start();
    const connector = await new FakeConnector().start();
    // Azure Identity reads App Service's managed-identity endpoint from these two variables, as App Service sets them.
    process.env.IDENTITY_ENDPOINT = identity.managedIdentityEndpoint;
    process.env.IDENTITY_HEADER = identity.managedIdentityHeader;
    h = await startAuthenticated(identity, connector, { BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: TENANT });
  });

  afterAll(async () => {
    await h.running.stop();
    await h.connector.stop();
    await h.identity.stop();
    if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
    else process.env.IDENTITY_ENDPOINT = saved.endpoint;
    if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
    else process.env.IDENTITY_HEADER = saved.header;
  });

  test('when Teams sends a message with a good token then the bot replies with the managed identity token', async () => {
    const activity = personalMessage({ serviceUrl: h.connector.url, from: person('Mira Msi', 803), text: 'hjälp' });
    const token = h.identity.channelToken({ aud: APP_ID, serviceurl: h.connector.url });

    const response = await post(h.running, activity, `Bearer ${token}`);

    expect(response.status).toBe(200);
    const reply = await h.connector.waitFor((call) => call.method === 'POST' && call.path.includes('/activities'));
    expect(reply.headers.authorization).toBe(`Bearer ${h.identity.managedIdentityToken}`);
    const msiRequest = h.identity.tokenRequests.find((request) => request.path === '/msi/token');
    expect(msiRequest?.fields).toMatchObject({ resource: 'https://api.botframework.com', client_id: APP_ID });
    await expect(connectorTokenProvider(h.config)()).resolves.toBe(h.identity.managedIdentityToken);
  });
});
