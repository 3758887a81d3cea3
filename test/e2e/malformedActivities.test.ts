import { person, personalMessage } from '../helpers/activities';
import { localBotPerDescribe } from '../helpers/frontDoor';

const larare = person('Mona Malform', 811);

/** A well-formed message with one field removed or replaced. */
function messageWith(connectorUrl: string, change: (activity: Record<string, unknown>) => void): Record<string, unknown> {
  const activity: Record<string, unknown> = personalMessage({ serviceUrl: connectorUrl, from: larare, text: 'hjälp' });
  change(activity);
  return activity;
}

describe('malformed requests to /api/messages (local mode)', () => {
  const bot = localBotPerDescribe({ logLevel: 'info' });
  const { lines } = bot;
  let consoleCalls: unknown[][];
  const spies: jest.SpyInstance[] = [];

  beforeEach(() => {
    consoleCalls = [];
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args)));
    }
  });

  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  function postRaw(body: string): Promise<Response> {
    return fetch(`${bot.running.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  }

  const malformed: [string, (url: string) => unknown][] = [
    ['no type', (url) => messageWith(url, (a) => delete a.type)],
    ['a type that is a number', (url) => messageWith(url, (a) => (a.type = 42))],
    ['an empty type', (url) => messageWith(url, (a) => (a.type = ''))],
    ['no conversation', (url) => messageWith(url, (a) => delete a.conversation)],
    ['a conversation without an id', (url) => messageWith(url, (a) => (a.conversation = { conversationType: 'personal' }))],
    ['no from', (url) => messageWith(url, (a) => delete a.from)],
    ['no recipient', (url) => messageWith(url, (a) => delete a.recipient)],
    ['no serviceUrl', (url) => messageWith(url, (a) => delete a.serviceUrl)],
    ['a serviceUrl that is not a URL', (url) => messageWith(url, (a) => (a.serviceUrl = 'connector'))],
    ['a serviceUrl that is not http', (url) => messageWith(url, (a) => (a.serviceUrl = 'file:///etc/passwd'))],
    ['a JSON number instead of an object', () => 42],
    ['a JSON array instead of an object', () => []],
    ['JSON null', () => null],
  ];

  test.each(malformed)('when the activity has %s then it gets 400 at once, before any turn, and nothing is sent', async (_name, build) => {
    const started = Date.now();
    const response = await postRaw(JSON.stringify(build(bot.connector.url)));
    expect(response.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await response.text()).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.connector.calls).toEqual([]);
    expect(lines.filter((line) => line.msg === 'turn failed')).toEqual([]);
    expect(lines.filter((line) => (line.level as number) >= 40)).toMatchObject([{ level: 40, msg: 'request refused: not an activity a turn can run on' }]);
    expect(consoleCalls).toEqual([]);
  });

  test('when the body is not JSON then it gets 400 without a stack trace', async () => {
    const response = await postRaw('{"type": "message", ');
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
    expect(bot.connector.calls).toEqual([]);
    expect(consoleCalls).toEqual([]);
  });

  test('when the activity comes as a form instead of JSON then it gets 400 and no turn runs', async () => {
    const form = new URLSearchParams({
      type: 'message',
      text: 'hjälp',
      serviceUrl: bot.connector.url,
      'conversation[id]': 'a:form',
      'from[id]': '29:form',
      'recipient[id]': '28:bot',
    });
    const response = await fetch(`${bot.running.server.url}/api/messages`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.connector.calls).toEqual([]);
    expect(consoleCalls).toEqual([]);
  });

  test('when the body is too large then it gets 413 without a stack trace', async () => {
    const response = await postRaw(JSON.stringify(messageWith(bot.connector.url, (a) => (a.text = 'x'.repeat(1024 * 1024 + 10)))));
    expect(response.status).toBe(413);
    expect(await response.text()).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
    expect(bot.connector.calls).toEqual([]);
    expect(consoleCalls).toEqual([]);
  });

  test('when the activity is well formed then the turn runs as before', async () => {
    const response = await postRaw(JSON.stringify(personalMessage({ serviceUrl: bot.connector.url, from: larare, text: 'hjälp' })));
    expect(response.status).toBe(200);
    expect(bot.connector.sentActivities()).toHaveLength(1);
  });
});
