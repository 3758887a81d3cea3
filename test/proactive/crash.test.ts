import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Outbox } from '../../src/proactive/outbox';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import { eventually } from '../helpers/eventually';
import { chats, freshOutbox, teachers, TENANT } from './support';

const SCRIPT = join(__dirname, 'support', 'senderProcess.ts');
const KILLS = 4;

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startSender(settings: { connectionString: string; tablePrefix: string }): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, OUTBOX_CONNECTION_STRING: settings.connectionString, OUTBOX_TABLE_PREFIX: settings.tablePrefix },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('a sender killed mid-job', () => {
  test('when the sender process is killed (SIGKILL) several times at random moments and restarted then the job finishes with no loss and at most one duplicate per kill', async () => {
    const standIn = await new RateLimitedConnector({ tenantPerSecond: 1000 }).start();
    try {
      const storage = await freshOutbox('crash');
      const recipients = [...teachers(300, standIn.url), ...chats(300, standIn.url)];
      const outbox = new Outbox(storage.repository, () => new Date());
      await outbox.enqueue({ id: 'goal-dialogue-prompt|crash', kind: 'goal-dialogue-prompt', tenantId: TENANT }, recipients);

      let kills = 0;
      let finishedEarly = false;
      for (let round = 0; round < KILLS && !finishedEarly; round++) {
        const before = standIn.requests.length;
        const running = startSender(storage.settings);
        // Kill it once it is sending, at a random moment.
        const exitedFirst = await Promise.race([eventually(() => standIn.requests.length > before, 20_000).then(() => false), running.exited.then(() => true)]);
        if (exitedFirst) {
          finishedEarly = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
        if (running.child.exitCode !== null) {
          finishedEarly = true;
          break;
        }
        running.child.kill('SIGKILL');
        await running.exited;
        kills += 1;
      }
      const last = startSender(storage.settings);
      const code = await last.exited;
      expect({ code, stderr: last.stderr() }).toEqual({ code: 0, stderr: '' });

      expect(kills).toBe(KILLS);
      const delivered = new Map<string, number>();
      for (const list of standIn.deliveries.values()) {
        for (const activity of list) {
          const key = String((activity.channelData as { recipient: string }).recipient);
          delivered.set(key, (delivered.get(key) ?? 0) + 1);
        }
      }
      const lost = recipients.filter((recipient) => !delivered.has(recipient.key));
      const duplicates = [...delivered.values()].reduce((sum, count) => sum + count - 1, 0);
      expect(lost).toEqual([]);
      expect(duplicates).toBeLessThanOrEqual(kills);
      // A chat created twice (a kill between creating it and recording it) is the same chat: Teams returns it again.
      expect(standIn.chats.size).toBe(300);

      const rows = await storage.repository.listRecipients('goal-dialogue-prompt|crash');
      expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
      expect(rows.some((row) => row.takeovers > 0)).toBe(true);
      expect(await outbox.progress('goal-dialogue-prompt|crash')).toMatchObject({ done: true, sent: 600, failed: 0 });
    } finally {
      await standIn.stop();
    }
  }, 90_000);
});
