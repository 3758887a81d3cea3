import { createHttpConnector } from '../../src/proactive/httpConnector';
import type { ConnectorPort } from '../../src/proactive/connector';
import type { NewRecipient } from '../../src/proactive/outbox';
import { createSender, type OutboxSender, type SenderDeps, type SenderOptions } from '../../src/proactive/sender';
import { ConversationTable } from '../../src/storage/conversationTable';
import { OutboxTable } from '../../src/storage/outboxTable';
import { TenantLeaseTable } from '../../src/storage/tenantLeaseTable';
import { ensureTable, tableClient, type TableSettings } from '../../src/storage/tables';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';
import { capturingLogger } from '../helpers/bot';

export const TENANT = 'tenant-a';
export const BOT_ID = '28:malbild-bot';

/** A clock that runs with real time (the rate gate waits with timers) but can jump ahead. */
export class ShiftedClock {
  private offset = 0;
  readonly now = (): Date => new Date(Date.now() + this.offset);
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** One instance's view of the outbox table: the outbox, the tenant leases and the 1:1 chats. */
export interface Connection {
  repository: OutboxTable;
  leases: TenantLeaseTable;
  chats: ConversationTable;
}

export interface TestStorage extends Connection {
  settings: TableSettings;
  /** Other repositories on the same tables, as a second instance of the bot would have. */
  connect: () => Connection;
}

/** A fresh outbox table on the test Azurite. */
export async function freshOutbox(label = 'out'): Promise<TestStorage> {
  const settings = { connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix(label) };
  await ensureTable(tableClient(settings, 'outbox'));
  await ensureTable(tableClient(settings, 'conversations'));
  const connect = (): Connection => {
    const outbox = tableClient(settings, 'outbox');
    return { repository: new OutboxTable(outbox), leases: new TenantLeaseTable(outbox), chats: new ConversationTable(tableClient(settings, 'conversations')) };
  };
  return { settings, ...connect(), connect };
}

/** Teachers reached by user id (their 1:1 chat is created), keys teacher-0001 … */
export function teachers(count: number, serviceUrl: string, from = 0): NewRecipient[] {
  return Array.from({ length: count }, (_, index) => {
    const key = `teacher-${String(from + index).padStart(4, '0')}`;
    return {
      key,
      target: { kind: 'person' as const, serviceUrl, tenantId: TENANT, userId: `29:${key}`, botId: BOT_ID, aadObjectId: `aad-${key}` },
      activity: { type: 'message' as const, text: `Dags att skriva dina mål (${key})`, channelData: { recipient: key } },
    };
  });
}

/** Recipients in existing conversations (a chat each), keys chat-0001 … */
export function chats(count: number, serviceUrl: string, from = 0): NewRecipient[] {
  return Array.from({ length: count }, (_, index) => {
    const key = `chat-${String(from + index).padStart(4, '0')}`;
    return {
      key,
      target: { kind: 'conversation' as const, serviceUrl, tenantId: TENANT, conversationId: `a:existing-${key}` },
      activity: { type: 'message' as const, text: `Incheckning (${key})`, channelData: { recipient: key } },
    };
  });
}

export function httpConnector(): ConnectorPort {
  return createHttpConnector({ timeoutMs: 3_000 });
}

/** Options that keep tests quick: a short poll, claims that expire within seconds, a fast backoff. */
export const FAST: Partial<SenderOptions> = {
  pollIntervalMs: 100,
  claimMs: 5_000,
  claimMarginMs: 4_000,
  backoff: { baseMs: 50, maxMs: 200 },
  throttleBackoff: { baseMs: 200, maxMs: 1_000 },
  progressIntervalMs: 100,
  tenantLeaseMs: 5_000,
};

export function testSender(
  storage: Connection,
  deps: Partial<SenderDeps> & { connector: ConnectorPort; now?: () => Date },
  options: Partial<SenderOptions> = {},
): OutboxSender {
  return createSender(
    {
      repository: storage.repository,
      leases: storage.leases,
      conversations: storage.chats,
      logger: capturingLogger('warn').logger,
      now: () => new Date(),
      ...deps,
    },
    { ...FAST, ...options },
  );
}

/** Deliveries per recipient key (the key travels in channelData). */
export function deliveriesByRecipient(deliveries: Map<string, Record<string, unknown>[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of deliveries.values()) {
    for (const activity of list) {
      const key = String((activity.channelData as { recipient?: string } | undefined)?.recipient);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
