/**
 * What the benchmarks share: the bot as a process of its own (as `npm start`
 * runs it), the connector stand-in answering the team's roster, the
 * principal's submit, figures over rounds, and the Markdown of a section.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringsFor } from '../../src/i18n';
import { freePort } from '../../src/storage/embeddedAzurite';
import { type Person, person, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { startFormSubmit } from '../helpers/goalDialogue';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import { rosterRule } from '../helpers/roster';

export const ROOT = join(__dirname, '..', '..');
/** Teams' budget per app and tenant. */
export const CAP = 50;

/** One benchmark's part of the table: its rows and what the reader needs to know to read them. */
export interface Section {
  id: string;
  title: string;
  header: string[];
  rows: string[][];
  notes: string[];
  /** A section that writes its own Markdown (a table of its own shape) instead of header and rows. */
  markdown?: string;
}

export interface Bench {
  id: string;
  run(): Promise<Section>;
}

/** Median and spread (min–max) of a series, formatted with `unit`. */
export function spread(values: number[], digits = 2, unit = ''): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number): string => `${n.toFixed(digits)}${unit}`;
  return sorted.length === 1 ? f(median(sorted)) : `${f(median(sorted))} (${f(sorted[0]!)}–${f(sorted.at(-1)!)})`;
}

/** The median of a series (NaN for none). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`benchmark: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The team: the principal and `count` teachers. */
export function teamOf(count: number): Person[] {
  return Array.from({ length: count }, (_, i) => person(`Lärare ${String(i + 1).padStart(4, '0')}`, 10_000 + i));
}

/** The connector stand-in with Teams' limits that also answers the team's roster. */
export async function standInFor(teachers: Person[], latencyMs = 0): Promise<RateLimitedConnector> {
  return new RateLimitedConnector({ tenantPerSecond: CAP, latencyMs, otherCalls: rosterRule(TEAM.id, [PRINCIPAL, ...teachers]) }).start();
}

/** Resident set size of a process in MB (Linux /proc), or NaN. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; clock ticks of 10 ms). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The child processes of `pid` (Linux /proc). */
export function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return children;
}

export interface BotProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** The embedded Azurite's process, when the bot started one. */
  azuritePid(): number | undefined;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the bot as a process: `command` (default `node dist/index.js`) in
 * the project folder with `env` on top of a quiet, local-mode environment.
 */
export async function startBot(env: Record<string, string>, command: string[] = [process.execPath, 'dist/index.js']): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: '', BOT_ID: '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const bot: BotProcess = {
    child,
    url,
    exited,
    azuritePid: () => {
      // npm start: npm → sh → node dist/index.js → Azurite; node dist/index.js: node → Azurite.
      const queue = [child.pid!];
      while (queue.length > 0) {
        const pid = queue.shift()!;
        for (const c of childrenOf(pid)) {
          if (readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('azurite')) return c;
          queue.push(c);
        }
      }
      return undefined;
    },
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  return bot;
}

/** The node process that runs dist/index.js under `bot` (itself, or under npm's shell). */
export function botNodePid(bot: BotProcess): number | undefined {
  const queue = [bot.child.pid!];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      const [program = '', ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      // The node process itself, not npm's shell running it.
      if (/node$/.test(program) && args.includes('dist/index.js')) return pid;
    } catch {
      continue;
    }
    queue.push(...childrenOf(pid));
  }
  return undefined;
}

/** Milliseconds from now until /healthz answers 200. */
export async function untilHealthy(bot: BotProcess, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  await until(
    async () => {
      if (bot.child.exitCode !== null) throw new Error(`the bot exited: ${bot.output()}`);
      try {
        return (await fetch(`${bot.url}/healthz`)).status === 200;
      } catch {
        return false;
      }
    },
    timeoutMs,
    '/healthz',
  );
  return performance.now() - started;
}

/**
 * The principal submits the start form for everyone: the milliseconds until
 * the bot answered the invoke with the started card (the status card is a
 * post of its own in the channel).
 */
export async function submitStartForm(bot: BotProcess, serviceUrl: string): Promise<number> {
  const activity = startFormSubmit(serviceUrl, `form-${Date.now()}`);
  const started = performance.now();
  const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200 || !body.includes(stringsFor('sv').goals.startForm.startedHere))
    throw new Error(`the submit was not answered with the started card: ${response.status} ${body.slice(0, 300)}`);
  return ms;
}

/** Invitations delivered so far per teacher's chat (the stand-in creates one chat per person). */
export function invitationsByChat(standIn: RateLimitedConnector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [conversationId, list] of standIn.deliveries) if (conversationId.startsWith('a:chat-')) counts.set(conversationId, list.length);
  return counts;
}

/** Duplicates (beyond the first per chat) and losses (teachers without an invitation). */
export function tallyInvitations(standIn: RateLimitedConnector, teachers: number): { delivered: number; duplicates: number; losses: number } {
  const counts = invitationsByChat(standIn);
  let duplicates = 0;
  for (const count of counts.values()) duplicates += count - 1;
  return { delivered: counts.size, duplicates, losses: teachers - counts.size };
}

export { TENANT_ID };
