/**
 * B1, turn latency: a teacher's goal step through the front door (the bot
 * as `npm start` runs it, `node dist/index.js`, over HTTP on Azurite, its
 * replies at a local Bot Connector stand-in), against a bare teams-ai
 * `Application` echo bot (echoBot.ts) with teams-ai's turn state in a Table
 * (TableTurnStateStorage) on the same Azurite, in the same run. At 1 and at
 * 20 concurrent conversations: median, p95, p99, throughput, the ratio to
 * the echo bot, and each bot's CPU per turn.
 *
 * Each bot and Azurite run in a process of their own; the benchmark's
 * client and the connector stand-in share this one. So a bot's latency is
 * its own work and its waits, not the client's CPU.
 *
 *   BENCH_ONLY=B1 npm run bench
 *   BENCH_B1_TURNS=300 BENCH_B1_WARMUP=30 BENCH_B1_ROUNDS=5 BENCH_ONLY=B1 npm run bench
 *   BENCH_B1_CONVERSATIONS=1 BENCH_B1_PROFILE=/tmp/prof BENCH_ONLY=B1 npm run bench   (.cpuprofile files in /tmp/prof/malbild and /tmp/prof/echo)
 *
 * A goal step is typed text while writing: an answer (the next question
 * comes back) or "tillbaka" (the previous one), alternating so a teacher
 * can go on for ever. Latency is from the POST until its response, which
 * the bot gives after its reply reached the connector. Not a test: nothing
 * here fails on timing.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { VERBS } from '../../src/cards/verbs';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import { cardAction, channelMention, type Person, person, personalMessage, PRINCIPAL, TEAM } from '../helpers/activities';
import { inputsOf } from '../helpers/cards';
import { FakeConnector } from '../helpers/connector';
import { rosterRule } from '../helpers/roster';
import { type BotProcess, cpuSeconds, median, spread, startBot, untilHealthy } from './support';

/** A benchmark's part of the report: a heading and Markdown. */
export interface Section {
  title: string;
  markdown: string;
}

const TURNS = Number(process.env.BENCH_B1_TURNS ?? 150);
const WARMUP = Number(process.env.BENCH_B1_WARMUP ?? 20);
/** Rounds per concurrency, each the goal step and the echo bot in turn (which goes first alternates, so that a drift of the machine falls on both). */
const ROUNDS = Number(process.env.BENCH_B1_ROUNDS ?? 3);
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

/** Where BENCH_B1_PROFILE asks for CPU profiles: node's flags for a bot named `name`. */
function profileFlags(name: string): string[] {
  const dir = process.env.BENCH_B1_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${name}`] : [];
}

/** A table prefix of its own for each bot, so that neither reads the other's rows. */
function prefix(letters: string): string {
  return `${letters}${randomUUID()
    .replace(/[^a-z]/g, '')
    .slice(0, 10)}`;
}

/** Målbild as `npm start` runs it, a dialogue started for `teachers`, each of them writing (at the goal question). */
async function malbild(
  connectionString: string,
  connector: FakeConnector,
  teachers: Person[],
): Promise<{ bot: BotProcess; step: (teacher: Person, turn: number) => Promise<void> }> {
  const bot = await startBot({ AZURE_STORAGE_CONNECTION_STRING: connectionString, TABLE_PREFIX: prefix('bm'), INSTANCE_ID: 'bench-b1', LOG_LEVEL: 'silent' }, [
    process.execPath,
    ...profileFlags('malbild'),
    'dist/index.js',
  ]);
  await untilHealthy(bot);
  const serviceUrl = connector.url;
  const url = bot.url;
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
  return { bot, step };
}

/** The dialogue id from the first invitation the sender delivered. */
async function dialogueIdOf(connector: FakeConnector): Promise<string> {
  const invitation = await connector.waitFor((c) => c.method === 'POST' && /"dialogueId":"[^"]+"/.test(JSON.stringify(c.body)), 20_000);
  return /"dialogueId":"([^"]+)"/.exec(JSON.stringify(invitation.body))![1]!;
}

/** The baseline (echoBot.ts) in a process of its own on the same Azurite. */
async function echoBot(connectionString: string): Promise<BotProcess> {
  const bot = await startBot({ AZURE_STORAGE_CONNECTION_STRING: connectionString, TABLE_PREFIX: prefix('be') }, [
    process.execPath,
    ...profileFlags('echo'),
    '--import',
    'tsx',
    'test/bench/echoBot.ts',
  ]);
  await untilHealthy(bot);
  return bot;
}

const ms = (value: number) => value.toFixed(1);

type Measured = Stats & { botCpuMs: number; azuriteCpuMs: number };

/** The row's cells from turns to CPU: each the median over the rounds. */
function cells(rounds: Measured[]): string {
  const of = (value: (m: Measured) => number) => median(rounds.map(value));
  return [
    rounds[0]!.turns,
    ms(of((m) => m.median)),
    ms(of((m) => m.p95)),
    ms(of((m) => m.p99)),
    of((m) => m.throughput).toFixed(0),
    `${ms(of((m) => m.botCpuMs))} / ${ms(of((m) => m.azuriteCpuMs))}`,
  ].join(' | ');
}

/** `measure`, and the CPU milliseconds per turn the bot's process and Azurite's spent meanwhile. */
async function measured(bot: BotProcess, azurite: EmbeddedAzurite, ...args: Parameters<typeof measure>): Promise<Measured> {
  const botBefore = cpuSeconds(bot.child.pid);
  const azuriteBefore = cpuSeconds(azurite.pid);
  const stats = await measure(...args);
  return {
    ...stats,
    botCpuMs: ((cpuSeconds(bot.child.pid) - botBefore) * 1000) / stats.turns,
    azuriteCpuMs: ((cpuSeconds(azurite.pid) - azuriteBefore) * 1000) / stats.turns,
  };
}

export async function run(): Promise<Section> {
  let azurite: EmbeddedAzurite | undefined;
  const connector = await new FakeConnector().start();
  const closers: (() => Promise<void>)[] = [];
  try {
    azurite = await startEmbeddedAzurite();
    const teachers = Array.from({ length: Math.max(...CONCURRENCY) }, (_, i) => person(`Lärare ${i + 1} Benchmark`, 500 + i));
    connector.addRule(rosterRule(TEAM.id, [PRINCIPAL, ...teachers]));
    const målbildBot = await malbild(azurite.connectionString, connector, teachers);
    closers.push(() => målbildBot.bot.stop());
    const echo = await echoBot(azurite.connectionString);
    closers.push(() => echo.stop());
    const echoStep = (teacher: Person, turn: number) =>
      post(echo.url, personalMessage({ serviceUrl: connector.url, from: teacher, text: `echo ${turn}` })).then(() => undefined);

    const rows: string[] = [];
    const loads: number[] = [loadavg()[0]!];
    for (const conversations of CONCURRENCY) {
      const on = (step: (teacher: Person, turn: number) => Promise<void>) => (c: number, t: number) => step(teachers[c]!, t);
      await measure(conversations, WARMUP * conversations, on(målbildBot.step));
      await measure(conversations, WARMUP * conversations, on(echoStep));
      const turns = Math.max(TURNS, conversations * 20);
      const målbild: Measured[] = [];
      const baseline: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ours = () => measured(målbildBot.bot, azurite!, conversations, turns, on(målbildBot.step));
        const echos = () => measured(echo, azurite!, conversations, turns, on(echoStep));
        if (round % 2 === 0) {
          målbild.push(await ours());
          baseline.push(await echos());
        } else {
          baseline.push(await echos());
          målbild.push(await ours());
        }
      }
      loads.push(loadavg()[0]!);
      const ratio = (of: (s: Stats) => number) =>
        spread(
          målbild.map((m, i) => of(m) / of(baseline[i]!)),
          2,
          '×',
        );
      rows.push(
        `| ${conversations} | goal step | ${cells(målbild)} | ${ratio((x) => x.median)} median, ${ratio((x) => x.p99)} p99 |`,
        `| ${conversations} | echo bot | ${cells(baseline)} | 1 |`,
      );
    }
    const markdown = [
      '| conversations | turn | turns a round | median ms | p95 ms | p99 ms | turns/s | CPU ms per turn: bot / Azurite | vs echo: median (min–max) over rounds |',
      '|---:|---|---:|---:|---:|---:|---:|---|---|',
      ...rows,
      '',
      `A goal step: typed text while writing (an answer, then "tillbaka", alternating), POST until its response; ${WARMUP} warm-up turns per conversation first, then ${ROUNDS} rounds of each bot in turn; each figure is the median over the rounds. The echo bot: teams-ai's Application with turn state in a Table on the same Azurite. Each bot and Azurite in a process of their own; the client and the connector stand-in in the benchmark's. Load average ${loads.map((l) => l.toFixed(1)).join(', ')}.`,
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
