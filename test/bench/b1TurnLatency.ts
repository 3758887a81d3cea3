/**
 * B1, turn latency: a teacher's goal step through the front door (the real
 * server over HTTP on Azurite, replies at a local Bot Connector stand-in),
 * against a bare teams-ai `Application` echo bot on the same Azurite with
 * teams-ai's turn state in a Table (TableTurnStateStorage), in the same run.
 * At 1 and at 20 concurrent conversations: median, p95, p99, throughput and
 * the ratio to the echo bot.
 *
 *   node --import tsx test/bench/b1TurnLatency.ts
 *   BENCH_B1_TURNS=200 BENCH_B1_WARMUP=30 node --import tsx test/bench/b1TurnLatency.ts
 *   BENCH_B1_CONVERSATIONS=1 node --cpu-prof --import tsx test/bench/b1TurnLatency.ts
 *
 * A goal step is typed text while writing: an answer (the next question
 * comes back) or "tillbaka" (the previous one), alternating so a teacher
 * can go on for ever. Latency is from the POST until its response, which
 * the bot gives after its reply reached the connector. Not a test: nothing
 * here fails on timing.
 */
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import restify from 'restify';
import { VERBS } from '../../src/cards/verbs';
import { loadConfig } from '../../src/config';
import { type Running, start } from '../../src/index';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import { TableTurnStateStorage } from '../../src/storage/tableStorage';
import { ensureTable, tableClient } from '../../src/storage/tables';
import { cardAction, channelMention, type Person, person, personalMessage, PRINCIPAL, TEAM } from '../helpers/activities';
import { capturingLogger } from '../helpers/bot';
import { inputsOf } from '../helpers/cards';
import { FakeConnector } from '../helpers/connector';
import { rosterRule } from '../helpers/roster';

/** A benchmark's part of the report: a heading and Markdown. */
export interface Section {
  title: string;
  markdown: string;
}

const TURNS = Number(process.env.BENCH_B1_TURNS ?? 150);
const WARMUP = Number(process.env.BENCH_B1_WARMUP ?? 20);
/** BENCH_B1_CONVERSATIONS=1 measures one conversation only (e.g. under a profiler). */
const CONCURRENCY = (process.env.BENCH_B1_CONVERSATIONS ?? '1,20').split(',').map(Number);
const ANSWER = 'Eleverna förklarar sina lösningar muntligt för en kamrat varje vecka';

interface Stats {
  turns: number;
  median: number;
  p95: number;
  p99: number;
  throughput: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** `turns` goal steps spread over `conversations` conversations, each conversation one turn at a time. */
async function measure(conversations: number, turns: number, step: (conversation: number, turn: number) => Promise<void>): Promise<Stats> {
  const latencies: number[] = [];
  const perConversation = Math.ceil(turns / conversations);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, conversation) => {
      for (let turn = 0; turn < perConversation; turn++) {
        const at = performance.now();
        await step(conversation, turn);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    turns: latencies.length,
    median: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    throughput: latencies.length / seconds,
  };
}

async function post(url: string, activity: unknown): Promise<string> {
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`POST answered ${response.status}: ${body}`);
  return body;
}

/** Målbild as start() runs it, a dialogue started for `teachers`, each of them writing (at the goal question). */
async function malbild(
  connectionString: string,
  connector: FakeConnector,
  teachers: Person[],
): Promise<{ running: Running; step: (teacher: Person, turn: number) => Promise<void> }> {
  const config = loadConfig({
    PORT: '0',
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    TABLE_PREFIX: `bm${randomUUID()
      .replace(/[^a-z]/g, '')
      .slice(0, 10)}`,
    LOG_LEVEL: 'silent',
  });
  const running = await start(config, capturingLogger('silent').logger, { host: '127.0.0.1' });
  const serviceUrl = connector.url;
  const url = running.server.url;
  await post(url, channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
  const form = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && JSON.stringify(c.body).includes('Starta målsamtal'));
  const deadline = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + 20 * 86_400_000));
  const data = {
    ...inputsOf(form.body),
    goalIds: 'studiero',
    deadline,
    participantMode: 'everyone',
    participantIds: '',
    reminders: 'false',
    schoolId: 'exempelskolan',
  };
  await post(url, cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, where: 'channel', replyToId: 'form-1', data }));
  // The participations are written in the background; the first invitation comes after its batch's.
  const dialogueId = await dialogueIdOf(connector);
  for (const teacher of teachers) {
    await post(url, cardAction({ serviceUrl, from: teacher, verb: VERBS.goalsBegin, where: 'personal', data: { dialogueId } }));
    await post(url, personalMessage({ serviceUrl, from: teacher, text: '1' }));
  }
  // At the goal question: an answer moves on to "how", "tillbaka" comes back to the goal.
  const step = async (teacher: Person, turn: number) => {
    await post(url, personalMessage({ serviceUrl, from: teacher, text: turn % 2 === 0 ? ANSWER : 'tillbaka' }));
  };
  return { running, step };
}

/** The dialogue id from the first invitation the sender delivered. */
async function dialogueIdOf(connector: FakeConnector): Promise<string> {
  const invitation = await connector.waitFor((c) => c.method === 'POST' && /"dialogueId":"[^"]+"/.test(JSON.stringify(c.body)), 20_000);
  return /"dialogueId":"([^"]+)"/.exec(JSON.stringify(invitation.body))![1]!;
}

/** The baseline: teams-ai's Application echoing the text, turn state in a Table on the same Azurite. */
async function echoBot(connectionString: string): Promise<{ url: string; close: () => Promise<void> }> {
  const client = tableClient(
    {
      connectionString,
      tablePrefix: `be${randomUUID()
        .replace(/[^a-z]/g, '')
        .slice(0, 10)}`,
    },
    'turnstate',
  );
  await ensureTable(client);
  const adapter = new TeamsAdapter({});
  const app = new Application<TurnState>({ storage: new TableTurnStateStorage(client), adapter, startTypingTimer: false, longRunningMessages: false });
  app.message(/.*/, async (context) => {
    await context.sendActivity(context.activity.text ?? '');
  });
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeIdleConnections();
      }),
  };
}

const ms = (value: number) => value.toFixed(1);

export async function run(): Promise<Section> {
  let azurite: EmbeddedAzurite | undefined;
  const connector = await new FakeConnector().start();
  const closers: (() => Promise<void>)[] = [];
  try {
    azurite = await startEmbeddedAzurite();
    const teachers = Array.from({ length: Math.max(...CONCURRENCY) }, (_, i) => person(`Lärare ${i + 1} Benchmark`, 500 + i));
    connector.addRule(rosterRule(TEAM.id, [PRINCIPAL, ...teachers]));
    const bot = await malbild(azurite.connectionString, connector, teachers);
    closers.push(() => bot.running.stop());
    const echo = await echoBot(azurite.connectionString);
    closers.push(echo.close);
    const echoStep = (teacher: Person, turn: number) =>
      post(echo.url, personalMessage({ serviceUrl: connector.url, from: teacher, text: `echo ${turn}` })).then(() => undefined);

    const rows: string[] = [];
    for (const conversations of CONCURRENCY) {
      const on = (step: (teacher: Person, turn: number) => Promise<void>) => (c: number, t: number) => step(teachers[c]!, t);
      await measure(conversations, WARMUP * conversations, on(bot.step));
      await measure(conversations, WARMUP * conversations, on(echoStep));
      const turns = Math.max(TURNS, conversations * 10);
      const målbild = await measure(conversations, turns, on(bot.step));
      const baseline = await measure(conversations, turns, on(echoStep));
      rows.push(
        `| ${conversations} | goal step | ${målbild.turns} | ${ms(målbild.median)} | ${ms(målbild.p95)} | ${ms(målbild.p99)} | ${målbild.throughput.toFixed(0)} | ${(målbild.median / baseline.median).toFixed(2)}× median, ${(målbild.p99 / baseline.p99).toFixed(2)}× p99 |`,
        `| ${conversations} | echo bot | ${baseline.turns} | ${ms(baseline.median)} | ${ms(baseline.p95)} | ${ms(baseline.p99)} | ${baseline.throughput.toFixed(0)} | 1 |`,
      );
    }
    const markdown = [
      '| conversations | turn | turns | median ms | p95 ms | p99 ms | turns/s | vs echo |',
      '|---:|---|---:|---:|---:|---:|---:|---|',
      ...rows,
      '',
      `A goal step: typed text while writing (an answer, then "tillbaka", alternating), POST until its response; ${WARMUP} warm-up turns per conversation first. The echo bot: teams-ai's Application with turn state in a Table on the same Azurite.`,
    ].join('\n');
    return { title: 'B1 turn latency: a goal step vs a teams-ai echo bot', markdown };
  } finally {
    for (const close of closers.reverse()) await close();
    await connector.stop();
    await azurite?.stop();
  }
}

if (require.main === module) {
  run().then(
    (section) => process.stdout.write(`## ${section.title}\n\n${section.markdown}\n`),
    (error: unknown) => {
      process.stderr.write(`B1 failed: ${String(error instanceof Error ? error.stack : error)}\n`);
      process.exit(1);
    },
  );
}
