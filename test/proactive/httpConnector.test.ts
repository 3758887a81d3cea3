import { ConnectorError } from '../../src/proactive/connector';
import { createHttpConnector, retryAfterMs } from '../../src/proactive/httpConnector';
import { freePort } from '../../src/storage/embeddedAzurite';
import { FakeConnector } from '../helpers/connector';

const tenantId = 'tenant-1';

describe('the HTTP Bot Connector client', () => {
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await new FakeConnector().start();
  });
  afterAll(() => connector.stop());
  beforeEach(() => connector.calls.splice(0));

  test('when a message is sent then one POST carries it to the conversation and the new id comes back', async () => {
    const client = createHttpConnector({ tokenProvider: async () => 'token-123' });
    const result = await client.send({ serviceUrl: connector.url, tenantId, conversationId: 'a:x;y/z' }, { type: 'message', text: 'Hej' });
    expect(result.activityId).toMatch(/^act-/);
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]).toMatchObject({ method: 'POST', path: '/v3/conversations/a:x;y/z/activities', body: { type: 'message', text: 'Hej' } });
  });

  test('when a card is updated then one PUT goes to the activity', async () => {
    const client = createHttpConnector();
    await client.update({ serviceUrl: connector.url.replace(/\/$/, ''), tenantId, conversationId: '19:c@thread.tacv2' }, 'act-9', {
      type: 'message',
      text: 'Ny',
    });
    expect(connector.calls[0]).toMatchObject({ method: 'PUT', path: '/v3/conversations/19:c@thread.tacv2/activities/act-9', body: { id: 'act-9' } });
  });

  test('when a 1:1 chat is created then the roster user, the bot and the tenant are named and the conversation id returned', async () => {
    const client = createHttpConnector();
    const { conversationId } = await client.createPersonalConversation({ serviceUrl: connector.url, tenantId, userId: '29:u', botId: '28:b' });
    expect(conversationId).toBe('a:personal-29:u');
    expect(connector.calls[0]?.body).toEqual({
      isGroup: false,
      bot: { id: '28:b' },
      members: [{ id: '29:u' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    });
  });

  test('when the service answers 429 with Retry-After then the error carries the status and the wait, after exactly one request', async () => {
    connector.addRule((call) =>
      call.conversationId === 'busy' ? { status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'Throttled' } } } : undefined,
    );
    const client = createHttpConnector();
    const error = await client.send({ serviceUrl: connector.url, tenantId, conversationId: 'busy' }, { type: 'message', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ status: 429, code: 'Throttled', retryAfterMs: 2000 });
    expect(connector.calls).toHaveLength(1);
  });

  test('when the user blocked the bot then the 403 carries the service error code', async () => {
    connector.addRule((call) =>
      call.conversationId === 'blocked'
        ? { status: 403, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } }
        : undefined,
    );
    const error = await createHttpConnector()
      .send({ serviceUrl: connector.url, tenantId, conversationId: 'blocked' }, { type: 'message', text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, code: 'ConversationBlockedByUser' });
  });

  test('when nothing listens at the service URL then the error is a network error without status', async () => {
    const port = await freePort();
    const error = await createHttpConnector()
      .send({ serviceUrl: `http://127.0.0.1:${port}/`, tenantId, conversationId: 'c' }, { type: 'message', text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ status: undefined, code: 'ECONNREFUSED' });
  });

  test('when Retry-After is an HTTP date then it is turned into milliseconds from now', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(retryAfterMs('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
