import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../src/storage/embeddedAzurite';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';

const ROOT = join(__dirname, '..', '..');

interface Program {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** The program as `npm start` runs it, with only the given variables (no .env in the test's folder). */
function runProgram(env: Record<string, string>): Program {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'index.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

async function waitUntilHealthy(port: number, program: Program): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (program.child.exitCode !== null) throw new Error(`the program exited: ${program.stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the program did not become healthy');
}

/** A GET over a keep-alive agent: the socket stays open and idle afterwards. */
function getKeepAlive(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('the program', () => {
  test('when NODE_ENV is Production (capitalised) and BOT_ID is empty then it refuses to start and names BOT_ID', async () => {
    const program = runProgram({
      NODE_ENV: 'Production',
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
      ORGANISATION_FILE: 'src/organisation/exempelskolan.yaml',
    });
    expect(await program.exited).toBe(1);
    expect(program.stderr()).toContain('BOT_ID is required when NODE_ENV=Production');
  });

  async function timeFromSigtermToExit(openIdleConnection: (port: number) => Promise<() => void>): Promise<{ code: number | null; elapsed: number }> {
    const port = await freePort();
    const program = runProgram({ PORT: String(port), AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: uniqueTablePrefix() });
    let release = () => {};
    try {
      await waitUntilHealthy(port, program);
      release = await openIdleConnection(port);
      const signalled = Date.now();
      program.child.kill('SIGTERM');
      const code = await program.exited;
      return { code, elapsed: Date.now() - signalled };
    } finally {
      release();
      if (program.child.exitCode === null) program.child.kill('SIGKILL');
    }
  }

  test('when it gets SIGTERM with an idle keep-alive connection open then it exits at once, not after the keep-alive timeout', async () => {
    const { code, elapsed } = await timeFromSigtermToExit(async (port) => {
      const agent = new Agent({ keepAlive: true });
      expect(await getKeepAlive(`http://127.0.0.1:${port}/healthz`, agent)).toBe(200);
      expect(Object.keys(agent.freeSockets)).toHaveLength(1);
      return () => agent.destroy();
    });
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(1500);
  });

  test('when it gets SIGTERM with a connection open that has sent nothing yet then it exits at once, not after the request timeout', async () => {
    const { code, elapsed } = await timeFromSigtermToExit(async (port) => {
      const socket: Socket = await new Promise((resolve, reject) => {
        const opened = connect(port, '127.0.0.1', () => resolve(opened)).on('error', reject);
      });
      return () => socket.destroy();
    });
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(1500);
  });
});
