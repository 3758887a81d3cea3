/**
 * One bot instance's sender in a process of its own, for crash.test.ts:
 * it drains the outbox until no job is open and exits 0, unless the test
 * kills it (SIGKILL) first.
 *
 *   node --import tsx test/proactive/support/senderProcess.ts
 *
 * Environment: OUTBOX_CONNECTION_STRING, OUTBOX_TABLE_PREFIX; optionally
 * SENDER_INSTANCE_ID (the holder id of its claims and leases) and
 * SENDER_OPTIONS (JSON: the sender's options instead of the quick ones below).
 */
import pino from 'pino';
import { createHttpConnector } from '../../../src/proactive/httpConnector';
import { createSender, type SenderOptions } from '../../../src/proactive/sender';
import { ConversationTable } from '../../../src/storage/conversationTable';
import { OutboxTable } from '../../../src/storage/outboxTable';
import { TenantLeaseTable } from '../../../src/storage/tenantLeaseTable';
import { tableClient } from '../../../src/storage/tables';

const QUICK: Partial<SenderOptions> = {
  tenantRequestsPerSecond: 1_000,
  // One row in progress at a time: a kill can leave at most one message sent but not recorded.
  concurrency: 1,
  claimBatchSize: 20,
  claimMs: 2_000,
  claimMarginMs: 1_200,
  tenantLeaseMs: 1_500,
  pollIntervalMs: 100,
  backoff: { baseMs: 50, maxMs: 200 },
};

async function main(): Promise<void> {
  const connectionString = process.env.OUTBOX_CONNECTION_STRING;
  const tablePrefix = process.env.OUTBOX_TABLE_PREFIX;
  if (!connectionString || !tablePrefix) throw new Error('OUTBOX_CONNECTION_STRING and OUTBOX_TABLE_PREFIX are required');
  const client = tableClient({ connectionString, tablePrefix }, 'outbox');
  const options = process.env.SENDER_OPTIONS ? (JSON.parse(process.env.SENDER_OPTIONS) as Partial<SenderOptions>) : QUICK;
  const sender = createSender(
    {
      repository: new OutboxTable(client),
      leases: new TenantLeaseTable(client),
      connector: createHttpConnector({ timeoutMs: 1_000 }),
      conversations: new ConversationTable(tableClient({ connectionString, tablePrefix }, 'conversations')),
      logger: pino({ level: 'warn' }, pino.destination(2)),
      now: () => new Date(),
      ...(process.env.SENDER_INSTANCE_ID ? { instanceId: process.env.SENDER_INSTANCE_ID } : {}),
    },
    options,
  );
  sender.start();
  await sender.idle();
  await sender.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sender process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
