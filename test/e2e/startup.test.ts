import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { start } from '../../src/index';
import { connectionStringFor, freePort, startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import { FakeConnector } from '../helpers/connector';
import { botInstalledPersonal, person, personalMessage } from '../helpers/activities';
import { capturingLogger, testConfig } from '../helpers/bot';
import { postToMessages } from '../helpers/http';

const larare = person('Lena Lärare', 21);

describe('starting the bot', () => {
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await new FakeConnector().start();
  });
  afterAll(() => connector.stop());

  test('when no connection string is set then an embedded Azurite keeps conversations across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'malbild-data-'));
    try {
      const config = loadConfig({ PORT: '0', LOCAL_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      const { logger, lines } = capturingLogger('info');
      const install = botInstalledPersonal({ serviceUrl: connector.url, from: larare });
      const post = (url: string) => postToMessages(url, install);

      const first = await start(config, logger, { host: '127.0.0.1' });
      expect(lines.some((line) => String(line.msg).startsWith('storage: embedded Azurite'))).toBe(true);
      expect(lines.some((line) => line.level === 40 && String(line.msg).startsWith('LOCAL MODE'))).toBe(true);
      await post(first.server.url);
      await first.stop();
      expect(connector.sentActivities(install.conversation.id)).toHaveLength(1);

      // The same install after a restart finds the stored welcome marker: no second welcome.
      const second = await start(config, logger, { host: '127.0.0.1' });
      expect((await fetch(`${second.server.url}/healthz`)).status).toBe(200);
      await post(second.server.url);
      await second.stop();
      expect(connector.sentActivities(install.conversation.id)).toHaveLength(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('when BOT_ID is set then a request without a valid token is refused with 401 and the bot says nothing', async () => {
    const config = testConfig({ BOT_ID: '6e5f4c3b-2a19-4d8e-9f70-1a2b3c4d5e6f', BOT_PASSWORD: 'secret' });
    const running = await start(config, capturingLogger('silent').logger, { host: '127.0.0.1' });
    try {
      connector.calls.splice(0);
      const activity = personalMessage({ serviceUrl: connector.url, from: larare, text: 'hjälp' });
      const unsigned = await postToMessages(running, activity);
      expect(unsigned.status).toBe(401);
      const forged = await postToMessages(running, activity, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' });
      expect(forged.status).toBe(401);
      expect(connector.calls).toHaveLength(0);
    } finally {
      await running.stop();
    }
  });

  test('when storage stops answering then /healthz is 503', async () => {
    const azurite = await startEmbeddedAzurite();
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    const running = await start(config, capturingLogger('silent').logger, { host: '127.0.0.1' });
    try {
      expect((await fetch(`${running.server.url}/healthz`)).status).toBe(200);
      await azurite.stop();
      expect((await fetch(`${running.server.url}/healthz`)).status).toBe(503);
    } finally {
      await running.stop();
      await azurite.stop();
    }
  });

  test('when storage does not answer at start then the start fails instead of serving', async () => {
    const dead = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      AZURE_STORAGE_CONNECTION_STRING: connectionStringFor(await freePort()),
    });
    await expect(start(dead, capturingLogger('silent').logger, { host: '127.0.0.1' })).rejects.toThrow();
  });
});
