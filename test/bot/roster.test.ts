import type { TurnContext } from 'botbuilder';
import { rosterCache } from '../../src/bot/roster';
import type { Member } from '../../src/domain/goalDialogueService';

/**
 * The roster cache behind the group form's search: Teams is asked once per
 * team or chat a minute, however fast someone types.
 */

const TTL = 60_000;

function inChannel(teamId: string, channel: string): TurnContext {
  return { activity: { conversation: { id: `${channel};messageid=1`, tenantId: 't' }, channelData: { team: { id: teamId } } } } as unknown as TurnContext;
}

function inChat(conversationId: string): TurnContext {
  return { activity: { conversation: { id: conversationId, tenantId: 't' }, channelData: {} } } as unknown as TurnContext;
}

function setup() {
  let at = 0;
  const reads: string[] = [];
  let fail = false;
  const cached = rosterCache(
    async (context) => {
      reads.push(context.activity.conversation.id);
      if (fail) throw new Error('Teams said no');
      return [{ aadObjectId: `aad-${reads.length}`, userId: '29:x', name: `Read ${reads.length}` } satisfies Member];
    },
    { ttlMs: TTL, maxEntries: 2, now: () => at },
  );
  return { cached, reads, tick: (ms: number) => (at += ms), failNext: (value: boolean) => (fail = value) };
}

describe('the roster cache', () => {
  test('when searches come within a minute from any channel of one team then Teams is read once', async () => {
    const { cached, reads, tick } = setup();
    const [first, second] = await Promise.all([cached(inChannel('team-1', '19:a')), cached(inChannel('team-1', '19:a'))]);
    tick(TTL - 1);
    const third = await cached(inChannel('team-1', '19:b'));
    expect(reads).toHaveLength(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  test('when a minute has passed then the roster is read again', async () => {
    const { cached, reads, tick } = setup();
    await cached(inChat('19:chat'));
    tick(TTL);
    expect((await cached(inChat('19:chat')))[0]?.name).toBe('Read 2');
    expect(reads).toHaveLength(2);
  });

  test('when two chats search then each has its own roster, and the oldest is forgotten beyond the limit', async () => {
    const { cached, reads } = setup();
    await cached(inChat('19:one'));
    await cached(inChat('19:two'));
    await cached(inChat('19:three'));
    await cached(inChat('19:three'));
    await cached(inChat('19:one'));
    expect(reads).toEqual(['19:one', '19:two', '19:three', '19:one']);
  });

  test('when reading the roster fails then the failure is not remembered', async () => {
    const { cached, reads, failNext } = setup();
    failNext(true);
    await expect(cached(inChat('19:chat'))).rejects.toThrow('Teams said no');
    failNext(false);
    expect(await cached(inChat('19:chat'))).toHaveLength(1);
    expect(reads).toHaveLength(2);
  });
});
