/**
 * `npm run cards`: expands every template with sample data in sv and en,
 * checks each card (schema 1.5, 40 KB, labels), renders it in headless
 * Chromium at 600 and 360 px into .data/cards/ for a person to look at, and
 * exits 1 on any problem (among them more than three buttons in a row, a
 * button label cut, a card over its height budget at 360 px).
 * `--no-render` skips the browser; `--only=goalSummary` checks one template.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardBytes, heightProblems, staticProblems } from './checks';
import { cardSamples } from './fixtures';
import { CardRenderer, chromiumAvailable, WIDTHS } from './renderInBrowser';

const OUT = join(__dirname, '..', '..', '.data', 'cards');

async function main(): Promise<number> {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const samples = cardSamples().filter((sample) => !only || sample.template === only);
  const render = !process.argv.includes('--no-render');
  if (render && !chromiumAvailable()) {
    process.stderr.write('Chromium is missing: install it with `apt-get install -y chromium`, or run with --no-render.\n');
    return 2;
  }
  if (!only) rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const renderer = render ? await CardRenderer.start() : undefined;
  let failed = 0;
  let largest = { name: '', bytes: 0 };
  try {
    for (const sample of samples) {
      const name = `${sample.template}--${sample.state}--${sample.language}`;
      const problems = staticProblems(sample.card);
      const bytes = cardBytes(sample.card);
      if (bytes > largest.bytes) largest = { name, bytes };
      if (renderer) {
        for (const width of WIDTHS) {
          const result = await renderer.render(sample.card, width);
          writeFileSync(join(OUT, `${name}--${width}.png`), result.png);
          problems.push(...result.problems.map((problem) => `${width}px ${problem}`), ...heightProblems(sample.template, width, result.height));
        }
      }
      writeFileSync(join(OUT, `${name}.json`), JSON.stringify(sample.card, null, 2));
      if (problems.length > 0) {
        failed++;
        process.stdout.write(`✗ ${name}\n${[...new Set(problems)].map((p) => `    ${p}`).join('\n')}\n`);
      }
    }
  } finally {
    await renderer?.close();
  }
  const templates = new Set(samples.map((s) => s.template)).size;
  process.stdout.write(
    `\n${samples.length} cards from ${templates} templates in sv and en${render ? `, rendered at ${WIDTHS.join(' and ')} px into ${OUT}` : ''}; ` +
      `largest ${largest.name} ${(largest.bytes / 1024).toFixed(1)} KB.\n` +
      `${samples.length - failed} passed, ${failed} failed\n`,
  );
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
