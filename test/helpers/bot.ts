import pino from 'pino';
import { type Config, loadConfig } from '../../src/config';
import type { Logger } from '../../src/logger';
import { azuriteConnectionString, uniqueTablePrefix } from './azurite';

/** A config for tests: local mode, test Azurite, a table prefix of the test's own. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
    TABLE_PREFIX: uniqueTablePrefix(),
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/** A logger whose lines the test can read (pino JSON objects). */
export function capturingLogger(level: pino.LevelWithSilent = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}
