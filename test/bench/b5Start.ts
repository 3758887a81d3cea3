/**
 * B5: start and memory. `npm start` (build when needed, embedded Azurite
 * with data on disk) until /healthz answers, the first time after a change
 * to the sources and then with nothing changed, next to `node dist/index.js`
 * as the baseline; the resident memory of the bot and of its embedded
 * Azurite after the start and after a B3 fan-out.
 */
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fanOut } from './b3FanOut';
import { type Bench, botNodePid, ROOT, rssMb, type Section, spread, standInFor, startBot, teamOf, untilHealthy } from './support';

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 1000);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function timeStart(command: string[], dataDir: string): Promise<number> {
  const started = performance.now();
  const bot = await startBot({ LOCAL_DATA_DIR: dataDir, INSTANCE_ID: 'bench-start' }, command);
  try {
    await untilHealthy(bot);
    return performance.now() - started;
  } finally {
    await bot.stop();
  }
}

export const b5: Bench = {
  id: 'B5',
  async run(): Promise<Section> {
    const dataDir = mkdtempSync(join(tmpdir(), 'malbild-bench-'));
    try {
      const changed: number[] = [];
      const unchanged: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        // A source file touched (its time moved on): tsc -b has to look at the program again.
        const now = new Date();
        utimesSync(join(ROOT, 'src', 'parallel.ts'), now, now);
        changed.push(await timeStart([NPM, 'start'], dataDir));
        unchanged.push(await timeStart([NPM, 'start'], dataDir));
        direct.push(await timeStart([process.execPath, 'dist/index.js'], dataDir));
      }

      const standIn = await standInFor(teamOf(TEACHERS));
      const bot = await startBot({ LOCAL_DATA_DIR: dataDir, INSTANCE_ID: 'bench-memory', TABLE_PREFIX: 'benchmem' }, [NPM, 'start']);
      let memory: string[][];
      try {
        await untilHealthy(bot);
        const afterStart = { bot: rssMb(botNodePid(bot)), azurite: rssMb(bot.azuritePid()) };
        await fanOut(bot, standIn, TEACHERS);
        const afterFanOut = { bot: rssMb(botNodePid(bot)), azurite: rssMb(bot.azuritePid()) };
        memory = [
          ['RSS after start: bot / embedded Azurite', `${afterStart.bot.toFixed(0)} MB / ${afterStart.azurite.toFixed(0)} MB`, ''],
          [`RSS after a fan-out to ${TEACHERS}: bot / embedded Azurite`, `${afterFanOut.bot.toFixed(0)} MB / ${afterFanOut.azurite.toFixed(0)} MB`, ''],
        ];
      } finally {
        await bot.stop();
        await standIn.stop();
      }
      return {
        id: 'B5',
        title: `B5 start and memory: ${ROUNDS} rounds, embedded Azurite with data on disk`,
        header: ['measure', 'Målbild: median (min–max)', 'baseline / aim'],
        rows: [
          [
            '`npm start` → /healthz, a source file touched',
            spread(
              changed.map((ms) => ms / 1000),
              1,
              ' s',
            ),
            '',
          ],
          [
            '`npm start` → /healthz, nothing changed',
            spread(
              unchanged.map((ms) => ms / 1000),
              1,
              ' s',
            ),
            `≤ 3 s; \`node dist/index.js\`: ${spread(
              direct.map((ms) => ms / 1000),
              1,
              ' s',
            )}`,
          ],
          ...memory,
        ],
        notes: [
          '"a source file touched" moves one file\'s time (tsc -b rechecks, finds the same text and writes nothing); a real change recompiles incrementally (about 10 s here), the first start of a fresh clone builds everything.',
        ],
      };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
