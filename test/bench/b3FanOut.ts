/**
 * B3: fan-out from the principal's submit. A målsamtal for BENCH_TEACHERS
 * (1,000) teachers started through /api/messages of the bot running as a
 * process, against the connector stand-in enforcing Teams' limits (50
 * requests a second per tenant counting chat creations and sends; 7/s and
 * 60/30 s per conversation). Timed from the submit to the last invitation;
 * also the submit turn's own latency, 429s, duplicates and losses. A
 * smaller warm-up round first, then BENCH_ROUNDS rounds, each on fresh
 * tables and a fresh stand-in (every teacher's chat is created again).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import type { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import {
  type Bench,
  type BotProcess,
  CAP,
  cpuSeconds,
  type Section,
  spread,
  standInFor,
  startBot,
  submitStartForm,
  tallyInvitations,
  teamOf,
  TENANT_ID,
  until,
  untilHealthy,
} from './support';

const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_TEACHERS = 100;

export interface FanOutResult {
  teachers: number;
  submitMs: number;
  /** From the submit to the last invitation. */
  wallMs: number;
  /** Requests the stand-in accepted (creates, sends, card updates) in that time. */
  requests: number;
  throttled: number;
  duplicates: number;
  losses: number;
}

/** Starts a målsamtal for `teachers` teachers on a running bot and waits for every invitation. */
export async function fanOut(bot: BotProcess, standIn: RateLimitedConnector, teachers: number): Promise<FanOutResult> {
  const startedAt = performance.now();
  const cpuBefore = cpuSeconds(bot.child.pid);
  const submitMs = await submitStartForm(bot, standIn.url);
  // Twice the time at the cap, plus a minute: a run slower than that is broken, not slow.
  await until(() => tallyInvitations(standIn, teachers).delivered >= teachers, (teachers * 2 * 1000 * 2) / CAP + 60_000, 'every invitation');
  const sends = standIn.requests.filter((r) => r.kind === 'send' && r.conversationId?.startsWith('a:chat-') && r.status === 200);
  const lastAt = Math.max(...sends.map((r) => r.at));
  // Anything still on its way (a duplicate) arrives within a moment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const during = standIn.requests.filter((r) => r.tenantId === TENANT_ID && r.at >= startedAt && r.at <= lastAt);
  if (process.env.BENCH_DEBUG)
    process.stderr.write(
      `first: ${during
        .slice(0, 12)
        .map((r) => `${r.kind}:${r.conversationId ?? ''}@${Math.round(r.at - startedAt)}`)
        .join(' ')} submit ${Math.round(submitMs)}\n`,
    );
  process.stderr.write(
    `bench: B3 ${teachers} teachers, bot CPU ${(cpuSeconds(bot.child.pid) - cpuBefore).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}, requests per 2 s from the submit: ${timeline(during, startedAt, 2_000).join(' ')}\n`,
  );
  return {
    teachers,
    submitMs,
    wallMs: lastAt - startedAt,
    requests: during.filter((r) => r.status !== 429).length,
    throttled: standIn.requests.filter((r) => r.status === 429).length,
    ...tallyInvitations(standIn, teachers),
  };
}

/** Requests the stand-in accepted in each `bucketMs` from `from`: where a run fell below the cap. */
function timeline(requests: { at: number; status: number }[], from: number, bucketMs: number): number[] {
  const counts: number[] = [];
  for (const request of requests) {
    if (request.status === 429) continue;
    const bucket = Math.floor((request.at - from) / bucketMs);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

async function round(connectionString: string, teachers: number, label: string): Promise<FanOutResult> {
  const standIn = await standInFor(teamOf(teachers));
  const bot = await startBot({ AZURE_STORAGE_CONNECTION_STRING: connectionString, TABLE_PREFIX: label, INSTANCE_ID: `bench-${label}` });
  try {
    await untilHealthy(bot);
    return await fanOut(bot, standIn, teachers);
  } finally {
    await bot.stop();
    await standIn.stop();
  }
}

export function fanOutRows(results: FanOutResult[]): string[][] {
  const teachers = results[0]?.teachers ?? TEACHERS;
  const atCapS = (teachers * 2) / CAP;
  const pct = results.map((r) => (r.requests / (r.wallMs / 1000) / CAP) * 100);
  const sum = (f: (r: FanOutResult) => number): string => String(results.reduce((total, r) => total + f(r), 0));
  return [
    [
      'submit turn (POST until the started card)',
      spread(
        results.map((r) => r.submitMs),
        0,
        ' ms',
      ),
      '≤ 1,000 ms',
    ],
    [
      `submit → last of ${teachers} invited`,
      spread(
        results.map((r) => r.wallMs / 1000),
        1,
        ' s',
      ),
      `${atCapS.toFixed(0)} s at the cap`,
    ],
    ['share of the cap from the submit', spread(pct, 1, ' %'), '≥ 95 %'],
    ['429s / duplicates / losses (all rounds)', `${sum((r) => r.throttled)} / ${sum((r) => r.duplicates)} / ${sum((r) => r.losses)}`, '0 / 0 / 0'],
  ];
}

export const b3: Bench = {
  id: 'B3',
  async run(): Promise<Section> {
    const azurite = await startEmbeddedAzurite();
    try {
      await round(azurite.connectionString, WARM_UP_TEACHERS, 'benchwarm');
      const results: FanOutResult[] = [];
      for (let i = 0; i < ROUNDS; i++) results.push(await round(azurite.connectionString, TEACHERS, `benchb${i}`));
      return {
        id: 'B3',
        title: `B3 fan-out from the submit: ${TEACHERS} teachers, ${ROUNDS} rounds after a warm-up of ${WARM_UP_TEACHERS}`,
        header: ['measure', 'Målbild: median (min–max)', 'baseline / aim'],
        rows: fanOutRows(results),
        notes: [
          `Each teacher costs 2 requests (create the 1:1 chat, send the invitation); ${CAP} requests a second per tenant is Teams' cap, so ${TEACHERS} teachers take ${((TEACHERS * 2) / CAP).toFixed(0)} s at best.`,
          'The bot runs as `node dist/index.js` on Azurite (a separate process), the stand-in answers at once.',
        ],
      };
    } finally {
      await azurite.stop();
    }
  },
};
