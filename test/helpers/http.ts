import type { Config } from '../../src/config';
import { type Running, start } from '../../src/index';
import type { Logger } from '../../src/logger';
import type { Clock } from '../../src/time';
import { capturingLogger } from './bot';
import { type ConnectorRule, FakeConnector } from './connector';

/** POSTs to /api/messages of a running bot (or of the server at `url`): an object as JSON, a string as it is. The response as it came. */
export function postToMessages(to: Running | string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const url = typeof to === 'string' ? to : to.server.url;
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POSTs a Teams-shaped activity to the running bot's /api/messages; expects 200 and returns the body. */
export async function postActivity(running: Running, activity: unknown): Promise<string> {
  const response = await postToMessages(running, activity);
  expect(response.status).toBe(200);
  return response.text();
}

/** The whole program, as start() runs it, and the local Bot Connector it sends to. */
export interface BotWithConnector {
  connector: FakeConnector;
  running: Running;
  /** The bot first (no new turns; the background work finishes what it holds), then the connector. */
  stop(): Promise<void>;
}

/**
 * Starts a local Bot Connector (answering first by `rules`), then the bot on
 * 127.0.0.1 with the given clock (real time by default) and logger (a silent one by default).
 */
export async function startWithConnector(config: Config, options: { now?: Clock; rules?: ConnectorRule[]; logger?: Logger } = {}): Promise<BotWithConnector> {
  const connector = await new FakeConnector().start();
  for (const rule of options.rules ?? []) connector.addRule(rule);
  let running: Running;
  try {
    running = await start(config, options.logger ?? capturingLogger('silent').logger, { host: '127.0.0.1', now: options.now });
  } catch (error) {
    await connector.stop();
    throw error;
  }
  return {
    connector,
    running,
    stop: async () => {
      await running.stop();
      await connector.stop();
    },
  };
}
