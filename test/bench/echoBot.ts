/**
 * B1's baseline as a process of its own: teams-ai's `Application` echoing
 * the text, its turn state in a Table (TableTurnStateStorage) on the Azurite
 * of AZURE_STORAGE_CONNECTION_STRING, listening on 127.0.0.1:PORT with the
 * same /api/messages and /healthz as the bot. B1 starts it next to the bot
 * (`node --import tsx test/bench/echoBot.ts`), so that each is measured on
 * its own thread and neither pays for the benchmark's client.
 */
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import restify from 'restify';
import { TableTurnStateStorage } from '../../src/storage/tableStorage';
import { ensureTable, tableClient } from '../../src/storage/tables';

async function main(): Promise<void> {
  const connectionString = process.env.AZURE_STORAGE_CONNECTION_STRING;
  if (!connectionString) throw new Error('AZURE_STORAGE_CONNECTION_STRING is not set');
  const client = tableClient({ connectionString, tablePrefix: process.env.TABLE_PREFIX ?? 'echo' }, 'turnstate');
  await ensureTable(client);
  const adapter = new TeamsAdapter({});
  const app = new Application<TurnState>({ storage: new TableTurnStateStorage(client), adapter, startTypingTimer: false, longRunningMessages: false });
  app.message(/.*/, async (context) => {
    await context.sendActivity(context.activity.text ?? '');
  });
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.get('/healthz', async (_req, res) => {
    res.send(200, 'ok');
  });
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`echo bot failed: ${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
