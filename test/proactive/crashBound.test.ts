import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Outbox } from '../../src/proactive/outbox';
import { crashDuplicateBound, DEFAULT_SENDER_OPTIONS } from '../../src/proactive/senderOptions';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import { eventually } from '../helpers/eventually';
import { chats, deliveriesByRecipient, freshOutbox, TENANT } from './support';

/**
 * The crash bound the README states, with the sender's own defaults (16
 * rows in progress, 50 requests a second, minute-long claims, half-minute
 * tenant leases): a sender killed mid fan-out and restarted as the same
 * instance duplicates at most crashDuplicateBound messages per kill, loses
 * none, and sends again at once instead of waiting for its claims and
 * lease to expire.
 */

const SCRIPT = join(__dirname, 'support', 'senderProcess.ts');
const KILLS = 2;
const LATENCY_MS = 50;
/** A generous storage write on a busy test machine: the outcome's write after the send. */
const RECORD_WRITE_MS = 150;
const RATE = DEFAULT_SENDER_OPTIONS.tenantRequestsPerSecond;
/** Much less than the default claim (60 s) and lease (30 s): resuming sooner shows they were taken back. */
const RESUME_WITHIN_MS = 15_000;

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startSender(settings: { connectionString: string; tablePrefix: string }, boot: number): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: join(__dirname, '..', '..'),
    env: {
      ...process.env,
      OUTBOX_CONNECTION_STRING: settings.connectionString,
      OUTBOX_TABLE_PREFIX: settings.tablePrefix,
      SENDER_INSTANCE_ID: `crash-host|boot-${boot}`,
      // The defaults, but a quick poll so that the child notices the end of the job soon.
      SENDER_OPTIONS: JSON.stringify({ pollIntervalMs: 200, progressIntervalMs: 200 }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('what a crash mid fan-out can duplicate', () => {
  test('when a paced sender is killed (SIGKILL) mid fan-out and restarted as the same instance then each kill duplicates at most the stated bound, nothing is lost, and sending resumes without waiting for claims to expire', async () => {
    const standIn = await new RateLimitedConnector({ tenantPerSecond: RATE, latencyMs: LATENCY_MS }).start();
    try {
      const storage = await freshOutbox('bound');
      const recipients = chats(400, standIn.url);
      const outbox = new Outbox(storage.repository, () => new Date());
      await outbox.enqueue({ id: 'goal-dialogue-prompt|bound', kind: 'goal-dialogue-prompt', tenantId: TENANT }, recipients);

      const resumeTimes: number[] = [];
      for (let boot = 0; boot < KILLS; boot++) {
        const before = standIn.requests.length;
        const spawnedAt = Date.now();
        const running = startSender(storage.settings, boot);
        await eventually(() => standIn.requests.length > before, 30_000);
        if (boot > 0) resumeTimes.push(Date.now() - spawnedAt);
        // Mid fan-out, at a random moment.
        await new Promise((resolve) => setTimeout(resolve, 800 + Math.random() * 1_200));
        expect(running.child.exitCode).toBeNull();
        running.child.kill('SIGKILL');
        await running.exited;
      }
      const before = standIn.requests.length;
      const spawnedAt = Date.now();
      const last = startSender(storage.settings, KILLS);
      await eventually(() => standIn.requests.length > before, 30_000);
      resumeTimes.push(Date.now() - spawnedAt);
      const code = await last.exited;
      expect({ code, stderr: last.stderr() }).toEqual({ code: 0, stderr: '' });

      const delivered = deliveriesByRecipient(standIn.deliveries);
      const lost = recipients.filter((recipient) => !delivered.has(recipient.key));
      const duplicates = [...delivered.values()].reduce((sum, count) => sum + count - 1, 0);
      const bound = crashDuplicateBound({
        requestsPerSecond: RATE,
        sendLatencyMs: LATENCY_MS,
        recordWriteMs: RECORD_WRITE_MS,
        concurrency: DEFAULT_SENDER_OPTIONS.concurrency,
      });
      expect(lost).toEqual([]);
      expect(bound).toBeLessThan(DEFAULT_SENDER_OPTIONS.concurrency);
      expect(duplicates).toBeLessThanOrEqual(KILLS * bound);
      for (const ms of resumeTimes) expect(ms).toBeLessThan(RESUME_WITHIN_MS);
      expect(standIn.requests.filter((request) => request.status === 429)).toEqual([]);
      expect(await outbox.progress('goal-dialogue-prompt|bound')).toMatchObject({ done: true, sent: 400, failed: 0 });
    } finally {
      await standIn.stop();
    }
  }, 120_000);
});
