/**
 * B4: kill -9 mid fan-out, twice, and restart. The bot (INSTANCE_ID fixed,
 * as a machine's would be) fans a målsamtal out to BENCH_CRASH_TEACHERS
 * teachers; at a third and at two thirds of the invitations it is killed
 * with SIGKILL and started again at once. Losses must be 0; duplicates per
 * kill are set against the stated bound (crashDuplicateBound); the time
 * from the restart (and from the kill) until the stand-in sees the next
 * request is how long sending stood still.
 */
import { performance } from 'node:perf_hooks';
import { crashDuplicateBound, DEFAULT_SENDER_OPTIONS } from '../../src/proactive/senderOptions';
import { startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import {
  type Bench,
  type BotProcess,
  CAP,
  type Section,
  spread,
  standInFor,
  startBot,
  submitStartForm,
  tallyInvitations,
  teamOf,
  until,
  untilHealthy,
} from './support';

const TEACHERS = Number(process.env.BENCH_CRASH_TEACHERS ?? 600);
const LATENCY_MS = Number(process.env.BENCH_CRASH_LATENCY_MS ?? 100);
/** The outcome's write after a send, on this machine's Azurite (generous). */
const RECORD_WRITE_MS = 100;
const KILLS = [1 / 3, 2 / 3];

export const b4: Bench = {
  id: 'B4',
  async run(): Promise<Section> {
    const azurite = await startEmbeddedAzurite();
    const standIn = await standInFor(teamOf(TEACHERS), LATENCY_MS);
    const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: 'benchcrash', INSTANCE_ID: 'bench-crash-host' };
    let bot: BotProcess = await startBot(env);
    const resumeFromRestart: number[] = [];
    const resumeFromKill: number[] = [];
    try {
      await untilHealthy(bot);
      await submitStartForm(bot, standIn.url);
      for (const share of KILLS) {
        await until(() => tallyInvitations(standIn, TEACHERS).delivered >= TEACHERS * share, 10 * 60_000, 'the fan-out to get on');
        bot.child.kill('SIGKILL');
        const killedAt = performance.now();
        await bot.exited;
        const requestsBefore = standIn.requests.length;
        const restartedAt = performance.now();
        bot = await startBot(env);
        await until(() => standIn.requests.length > requestsBefore, 120_000, 'sending to resume');
        const resumedAt = standIn.requests[requestsBefore]!.at;
        resumeFromRestart.push(resumedAt - restartedAt);
        resumeFromKill.push(resumedAt - killedAt);
      }
      await until(() => tallyInvitations(standIn, TEACHERS).delivered >= TEACHERS, 10 * 60_000, 'every invitation');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { duplicates, losses } = tallyInvitations(standIn, TEACHERS);
      const bound = crashDuplicateBound({
        requestsPerSecond: CAP,
        sendLatencyMs: LATENCY_MS,
        recordWriteMs: RECORD_WRITE_MS,
        concurrency: DEFAULT_SENDER_OPTIONS.concurrency,
      });
      return {
        id: 'B4',
        title: `B4 crash: ${TEACHERS} teachers, SIGKILL at 1/3 and 2/3 of the invitations, restarted at once (stand-in latency ${LATENCY_MS} ms)`,
        header: ['measure', 'Målbild', 'bound / aim'],
        rows: [
          ['losses', String(losses), '0'],
          [
            'duplicates per kill',
            `${(duplicates / KILLS.length).toFixed(1)} (${duplicates} in ${KILLS.length} kills)`,
            `≤ ${bound} (⌈${CAP}/s × (${LATENCY_MS} + ${RECORD_WRITE_MS}) ms⌉ + 1, ≤ concurrency ${DEFAULT_SENDER_OPTIONS.concurrency})`,
          ],
          [
            'restart → sending resumes',
            spread(
              resumeFromRestart.map((ms) => ms / 1000),
              1,
              ' s',
            ),
            '≤ 5 s',
          ],
          [
            'kill → sending resumes',
            spread(
              resumeFromKill.map((ms) => ms / 1000),
              1,
              ' s',
            ),
            '',
          ],
        ],
        notes: ['"restart" is the spawn of `node dist/index.js`; it includes loading the program (about 2 s on this machine) before the first request.'],
      };
    } finally {
      await bot.stop();
      await standIn.stop();
      await azurite.stop();
    }
  },
};
