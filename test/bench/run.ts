/**
 * The benchmark suite: `npm run bench` (not part of npm test).
 *
 *   npm run bench                    every benchmark
 *   BENCH_ONLY=B3,B5 npm run bench   some of them
 *
 * Builds the bot first (the benchmarks run it as a process, as `npm start`
 * does), runs each benchmark's module in turn, prints one Markdown table
 * with the machine, the command and the date, and writes it to
 * test/bench/results.md (git-ignored); the README's performance section
 * shows the latest. A benchmark is a module exporting a `Bench` (see
 * support.ts); to add one, import it and put it in BENCHES.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { run as runB1 } from './b1TurnLatency';
import { run as runB2 } from './b2TableRequests';
import { b3 } from './b3FanOut';
import { b4 } from './b4Crash';
import { b5 } from './b5Start';
import { type Bench, ROOT, type Section } from './support';

/** B1 and B2 write their own tables; they run in this process, on an Azurite of their own. */
function ownTable(id: string, run: () => Promise<{ title: string; markdown: string }>): Bench {
  return {
    id,
    run: async () => {
      const { title, markdown } = await run();
      return { id, title, header: [], rows: [], notes: [], markdown };
    },
  };
}

const BENCHES: Bench[] = [ownTable('B1', runB1), ownTable('B2', runB2), b3, b4, b5];

function markdown(sections: Section[], command: string, date: Date): string {
  const cpu = cpus();
  const lines = [
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${type()}, Node ${process.version}. ` +
      `Command: \`${command}\`. Date: ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
  ];
  for (const section of sections) {
    if (section.markdown !== undefined) {
      lines.push(`**${section.title}**`, '', section.markdown, '');
      continue;
    }
    lines.push(`**${section.title}**`, '', `| ${section.header.join(' | ')} |`, `|${section.header.map(() => '---').join('|')}|`);
    for (const row of section.rows) lines.push(`| ${row.join(' | ')} |`);
    lines.push('');
    for (const note of section.notes) lines.push(`- ${note}`);
    if (section.notes.length > 0) lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((id) => id.trim().toUpperCase())
    .filter(Boolean);
  const chosen = BENCHES.filter((bench) => only.length === 0 || only.includes(bench.id));
  execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  const sections: Section[] = [];
  for (const bench of chosen) {
    process.stderr.write(`bench: ${bench.id}…\n`);
    sections.push(await bench.run());
  }
  const command = `${only.length > 0 ? `BENCH_ONLY=${only.join(',')} ` : ''}npm run bench`;
  const table = markdown(sections, command, new Date());
  writeFileSync(join(__dirname, 'results.md'), `${table}\n`);
  process.stdout.write(`${table}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
