// `npm start`'s prestart: builds dist/ with `tsc -b` only when something the
// build reads is newer than the last successful build, so that a start with
// nothing changed costs a few milliseconds instead of starting the compiler
// (about half a second to look at the program, far more on a loaded machine).
// The first start of a fresh clone finds no stamp and builds everything.
//
// Compared: every file and folder under src/ (a folder's time moves when a
// file in it is added, removed or renamed), tsconfig.json, tsconfig.build.json
// and package.json, against dist/.build-stamp, whose time is set to the moment
// the last successful build began (an edit during a build is seen next time).
import { spawnSync } from 'node:child_process';

import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function stampedAt() {
  try {
    return statSync(stamp).mtimeMs;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}

const sourcesAt = Math.max(newest(join(root, 'src')), ...inputs.map((name) => newest(join(root, name))));
if (sourcesAt < stampedAt()) process.exit(0);

const began = new Date();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(stamp, '');
utimesSync(stamp, began, began);
