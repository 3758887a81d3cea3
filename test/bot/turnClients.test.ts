import { appIdOf, ReusedClients } from '../../src/bot/turnClients';

describe('the clients a turn is given', () => {
  test('when the same key is asked for twice then the client is made once', async () => {
    const clients = new ReusedClients<object>();
    let made = 0;
    const make = async () => ({ n: ++made });

    const [first, second] = await Promise.all([clients.get('k', make), clients.get('k', make)]);

    expect(first).toBe(second);
    expect(made).toBe(1);
    expect(await clients.get('other', make)).toEqual({ n: 2 });
  });

  test('when making a client fails then the next turn makes it again', async () => {
    const clients = new ReusedClients<string>();
    await expect(clients.get('k', () => Promise.reject(new Error('no token')))).rejects.toThrow('no token');

    await expect(clients.get('k', async () => 'made')).resolves.toBe('made');
  });

  test('when more keys come than a deployment has service URLs then the cache starts over instead of growing', async () => {
    const clients = new ReusedClients<string>();
    const first = await clients.get('k0', async () => 'first');
    for (let i = 1; i <= 64; i++) await clients.get(`k${i}`, async () => `client ${i}`);

    expect(await clients.get('k0', async () => 'made again')).toBe('made again');
    expect(first).toBe('first');
  });

  test("the bot id is the token's audience, else the Emulator's appid, else none (local mode)", () => {
    const claims = (values: Record<string, string>) => ({ getClaimValue: (type: string) => values[type] ?? null });
    expect(appIdOf(claims({ aud: 'bot', appid: 'other' }))).toBe('bot');
    expect(appIdOf(claims({ appid: 'emulated' }))).toBe('emulated');
    expect(appIdOf(claims({}))).toBe('');
  });
});
