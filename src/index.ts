import { join, resolve } from 'node:path';
import { type Config, ConfigError, loadConfigFromEnvironment } from './config';
import { createLogger, type Logger } from './logger';
import { createBot } from './bot';
import { type RunningServer, startServer } from './server';
import { startEmbeddedAzurite, type EmbeddedAzurite } from './storage/embeddedAzurite';
import { openStores } from './storage';

export interface Running {
  readonly server: RunningServer;
  stop(): Promise<void>;
}

/** Wiring: storage → bot → routes → server. */
export async function start(config: Config, logger: Logger, host?: string): Promise<Running> {
  if (!config.bot.appId) {
    logger.warn('LOCAL MODE: BOT_ID is empty, so requests are NOT authenticated. Use this only on your own machine.');
  }

  let azurite: EmbeddedAzurite | undefined;
  let connectionString = config.storage.connectionString;
  if (connectionString) {
    logger.info('storage: the Azure Table Storage account in AZURE_STORAGE_CONNECTION_STRING');
  } else {
    const location = resolve(join(config.storage.localDataDir, 'azurite'));
    azurite = await startEmbeddedAzurite({ location });
    connectionString = azurite.connectionString;
    logger.info({ location, port: azurite.port }, 'storage: embedded Azurite (AZURE_STORAGE_CONNECTION_STRING is not set)');
  }

  try {
    const stores = await openStores({ connectionString, tablePrefix: config.storage.tablePrefix });
    const bot = createBot(
      config,
      {
        conversations: stores.conversations,
        logger: logger.child({ component: 'bot' }),
        defaultLocale: config.defaultLocale,
        allowedTenants: config.allowedTenants,
        now: () => new Date(),
      },
      stores.turnState,
      logger,
    );
    const server = await startServer(config.port, { messages: bot.handle, healthy: () => stores.ping() }, logger, host);
    return {
      server,
      stop: async () => {
        await server.close();
        await azurite?.stop();
      },
    };
  } catch (error) {
    await azurite?.stop();
    throw error;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Målbild cannot start. ${error.message}\nSee .env.sample and the README.\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  void main();
}
