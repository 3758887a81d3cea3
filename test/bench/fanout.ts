/**
 * Benchmark of the sender alone (npm run bench measures the whole bot, see
 * run.ts): fan-out of one delivery job to 1,000 teachers (create the 1:1
 * chat + send the prompt) against the rate-limited stand-in for the Bot
 * Connector, with Teams' default tenant cap of 50 requests a second.
 *
 *   node --import tsx test/bench/fanout.ts
 *   BENCH_RECIPIENTS=200 BENCH_LATENCY_MS=0 node --import tsx test/bench/fanout.ts
 *
 * Two scenarios: the stand-in answering at once (the main run: 1,000
 * teachers), and answering after BENCH_LATENCY_MS (default 100 ms, closer
 * to the real service; fewer teachers to keep the run short; 0 skips it).
 *
 * Prints recipients, wall time, achieved requests per second as a share of
 * the cap, 429s, duplicates and losses, next to two baselines: the
 * theoretical minimum time at the cap, and a naive sequential sender
 * (create, send, next; waits out each 429's Retry-After) measured in the
 * same run.
 *
 * The minimum at the cap: a sliding window of 50 a second admits the first
 * 50 requests at once and then 50 more each second, so N requests need at
 * least (N - 50) / 50 seconds. Over a short run the plain "requests / wall
 * time" can therefore exceed 100 % of the cap; the ratio to the minimum is
 * the fair measure.
 * Not a test: nothing here fails on timing.
 */
import pino from 'pino';
import { createHttpConnector } from '../../src/proactive/httpConnector';
import { ConnectorError, type ConnectorPort } from '../../src/proactive/connector';
import { Outbox, type NewRecipient } from '../../src/proactive/outbox';
import { createSender, DEFAULT_SENDER_OPTIONS } from '../../src/proactive/sender';
import { startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import { ConversationTable } from '../../src/storage/conversationTable';
import { OutboxTable } from '../../src/storage/outboxTable';
import { TenantLeaseTable } from '../../src/storage/tenantLeaseTable';
import { ensureTable, tableClient } from '../../src/storage/tables';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1000);
const NAIVE_RECIPIENTS = Number(process.env.BENCH_NAIVE_RECIPIENTS ?? 300);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const LATENCY_RECIPIENTS = Number(process.env.BENCH_LATENCY_RECIPIENTS ?? 300);
const LATENCY_NAIVE_RECIPIENTS = Number(process.env.BENCH_LATENCY_NAIVE_RECIPIENTS ?? 50);
const CAP = 50;

interface Row {
  run: string;
  recipients: number;
  requests: number;
  wallSeconds: number;
  throttled: number;
  duplicates: number;
  losses: number;
}

function teachers(count: number, serviceUrl: string, tenantId: string, prefix: string): NewRecipient[] {
  return Array.from({ length: count }, (_, index) => {
    const key = `${prefix}-${String(index).padStart(4, '0')}`;
    return {
      key,
      target: { kind: 'person' as const, serviceUrl, tenantId, userId: `29:${key}`, botId: '28:bench-bot' },
      activity: {
        type: 'message' as const,
        summary: 'Dags för målsamtal',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Skriv dina mål' }] },
          },
        ],
        channelData: { recipient: key },
      },
    };
  });
}

function tally(standIn: RateLimitedConnector, tenantId: string, keys: string[]): { requests: number; throttled: number; duplicates: number; losses: number } {
  const requests = standIn.requests.filter((r) => r.tenantId === tenantId);
  const delivered = new Map<string, number>();
  for (const list of standIn.deliveries.values()) {
    for (const activity of list) {
      const key = String((activity.channelData as { recipient?: string }).recipient);
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
    }
  }
  let duplicates = 0;
  let losses = 0;
  for (const key of keys) {
    const count = delivered.get(key) ?? 0;
    if (count === 0) losses += 1;
    else duplicates += count - 1;
  }
  return {
    requests: requests.filter((r) => r.status !== 429).length,
    throttled: requests.filter((r) => r.status === 429).length,
    duplicates,
    losses,
  };
}

/** The outbox sender with its defaults (50 requests a second per tenant). */
async function runOutbox(standIn: RateLimitedConnector, connectionString: string, count: number, label: string): Promise<Row> {
  const tenant = `${label}-tenant`;
  const settings = { connectionString, tablePrefix: `bench${label.replace(/[^A-Za-z]/g, '')}` };
  const client = tableClient(settings, 'outbox');
  await ensureTable(client);
  const conversations = tableClient(settings, 'conversations');
  await ensureTable(conversations);
  const repository = new OutboxTable(client);
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const sender = createSender({
    repository,
    leases: new TenantLeaseTable(client),
    connector: createHttpConnector(),
    conversations: new ConversationTable(conversations),
    logger,
    now: () => new Date(),
  });
  const outbox = new Outbox(repository, () => new Date());
  const recipients = teachers(count, standIn.url, tenant, `${label}-teacher`);
  await outbox.enqueue({ id: 'bench|goal-dialogue-prompt', kind: 'goal-dialogue-prompt', tenantId: tenant }, recipients);

  const started = process.hrtime.bigint();
  sender.start();
  await sender.idle();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await sender.stop();

  const progress = await outbox.progress('bench|goal-dialogue-prompt');
  if (!progress?.done || progress.sent !== count) throw new Error(`the job did not finish: ${JSON.stringify(progress)}`);
  return rowOf('outbox sender', standIn, tenant, recipients, wallSeconds);
}

/** A run's row: its wall time and what the stand-in saw of the tenant's recipients. */
function rowOf(run: string, standIn: RateLimitedConnector, tenant: string, recipients: NewRecipient[], wallSeconds: number): Row {
  const latency = standIn.latencyMs > 0 ? `, ${standIn.latencyMs} ms latency` : '';
  return {
    run: `${run}${latency}`,
    recipients: recipients.length,
    wallSeconds,
    ...tally(
      standIn,
      tenant,
      recipients.map((r) => r.key),
    ),
  };
}

/** The naive way: one recipient after the other, no rate limiting of its own, Retry-After honoured. */
async function runNaive(standIn: RateLimitedConnector, count: number, label: string): Promise<Row> {
  const tenant = `${label}-naive-tenant`;
  const connector: ConnectorPort = createHttpConnector();
  const recipients = teachers(count, standIn.url, tenant, `${label}-naive`);
  const withRetry = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.status !== 429) throw error;
        await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs ?? 1000));
      }
    }
  };
  const started = process.hrtime.bigint();
  for (const recipient of recipients) {
    if (recipient.target.kind !== 'person') continue;
    const { serviceUrl, tenantId, userId, botId } = recipient.target;
    const { conversationId } = await withRetry(() => connector.createPersonalConversation({ serviceUrl, tenantId, userId, botId }));
    await withRetry(() => connector.send({ serviceUrl, tenantId, conversationId }, recipient.activity as never));
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return rowOf('naive sequential', standIn, tenant, recipients, wallSeconds);
}

function print(rows: Row[]): void {
  const header = ['run', 'recipients', 'requests', 'wall time', 'req/s', '% of cap', 'minimum at cap', 'ratio min/actual', '429s', 'duplicates', 'losses'];
  const lines = rows.map((row) => {
    const rate = row.requests / row.wallSeconds;
    const minimum = Math.max(0, row.requests - CAP) / CAP;
    return [
      row.run,
      String(row.recipients),
      String(row.requests),
      `${row.wallSeconds.toFixed(2)} s`,
      rate.toFixed(2),
      `${((rate / CAP) * 100).toFixed(1)} %`,
      `${minimum.toFixed(2)} s`,
      (minimum / row.wallSeconds).toFixed(3),
      String(row.throttled),
      String(row.duplicates),
      String(row.losses),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  process.stdout.write(
    [
      `Fan-out benchmark: tenant cap ${CAP} requests/s (stand-in enforces it, and 7/s + 60/30 s per conversation);`,
      `sender defaults: concurrency ${DEFAULT_SENDER_OPTIONS.concurrency} rows per tenant, claims of ${DEFAULT_SENDER_OPTIONS.claimBatchSize}.`,
      'Each teacher costs 2 requests (create the 1:1 chat, send the prompt).',
      `"minimum at cap" = (requests - ${CAP}) / ${CAP} s: the sliding window admits one second's budget at once, then ${CAP} a second.`,
      '',
      format(header),
      format(widths.map((width) => '-'.repeat(width))),
      ...lines.map(format),
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const azurite = await startEmbeddedAzurite();
  const standIn = await new RateLimitedConnector({ tenantPerSecond: CAP }).start();
  const slow = LATENCY_MS > 0 ? await new RateLimitedConnector({ tenantPerSecond: CAP, latencyMs: LATENCY_MS }).start() : undefined;
  try {
    const rows = [await runOutbox(standIn, azurite.connectionString, RECIPIENTS, 'local'), await runNaive(standIn, NAIVE_RECIPIENTS, 'local')];
    if (slow) {
      rows.push(await runOutbox(slow, azurite.connectionString, LATENCY_RECIPIENTS, 'slow'), await runNaive(slow, LATENCY_NAIVE_RECIPIENTS, 'slow'));
    }
    print(rows);
  } finally {
    await standIn.stop();
    await slow?.stop();
    await azurite.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
