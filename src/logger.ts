import pino from 'pino';

export type Logger = pino.Logger;
export type LogLevel = pino.LevelWithSilent;

/**
 * The one logger. Components take a `child({ component })`; turns add
 * conversation and activity ids. Names and goal text are personal data and
 * are logged at debug level at most.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'malbild' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.password', '*.connectionString', '*.authorization', '*.text'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
