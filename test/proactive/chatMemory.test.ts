import { ChatMemory } from '../../src/proactive/chatMemory';
import type { CreatedPersonalConversation } from '../../src/proactive/outboxRepository';
import { capturingLogger } from '../helpers/bot';
import { BOT_ID, freshOutbox, TENANT } from './support';

function created(index: number, tenantId = TENANT): CreatedPersonalConversation {
  const key = String(index).padStart(4, '0');
  return {
    tenantId,
    userId: `29:teacher-${key}`,
    aadObjectId: `aad-teacher-${key}`,
    botId: BOT_ID,
    serviceUrl: 'https://connector.invalid/',
    conversationId: `a:chat-${key}`,
    createdAt: new Date().toISOString(),
  };
}

describe('the chats a sender created, kept in batches', () => {
  test('when 250 chats of two tenants are remembered then they are found at once, and after the flush the store has each as a conversation reference', async () => {
    const storage = await freshOutbox('chats');
    const requests: string[] = [];
    const store = {
      find: (tenantId: string, userId: string) => storage.chats.find(tenantId, userId),
      remember: (chat: CreatedPersonalConversation) => storage.chats.remember(chat),
      rememberMany: async (chats: readonly CreatedPersonalConversation[]) => {
        requests.push(`${chats.length}`);
        await storage.chats.rememberMany(chats);
      },
    };
    const memory = new ChatMemory(store, capturingLogger('warn').logger);
    const chats = [...Array.from({ length: 200 }, (_, i) => created(i)), ...Array.from({ length: 50 }, (_, i) => created(i, 'tenant-b'))];

    for (const chat of chats) await memory.remember(chat);
    expect(await memory.find(TENANT, '29:teacher-0042')).toBe('a:chat-0042');
    await memory.flush();

    // Written in batches (a full queue is written at once), not one by one.
    expect(requests.length).toBeLessThanOrEqual(3);
    expect(await storage.chats.find(TENANT, '29:teacher-0199')).toBe('a:chat-0199');
    expect(await storage.chats.find('tenant-b', '29:teacher-0049')).toBe('a:chat-0049');
    expect(await storage.chats.get(TENANT, 'a:chat-0007')).toMatchObject({
      kind: 'personal',
      userId: '29:teacher-0007',
      aadObjectId: 'aad-teacher-0007',
      active: true,
    });
    expect(await memory.find(TENANT, '29:teacher-0000')).toBe('a:chat-0000');
  });

  test('when writing the batch fails then the failure is logged, nothing throws, and the store is asked next time', async () => {
    const { logger, lines } = capturingLogger('warn');
    const store = {
      find: async () => undefined,
      remember: async () => undefined,
      rememberMany: async () => {
        throw new Error('storage down');
      },
    };
    const memory = new ChatMemory(store, logger);

    await memory.remember(created(1));
    await memory.flush();

    expect(lines.some((line) => line.msg === 'outbox: remembering created chats failed')).toBe(true);
    expect(await memory.find(TENANT, '29:teacher-0001')).toBeUndefined();
  });
});
