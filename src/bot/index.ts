import type { Request, Response } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createAdapter } from './adapter';
import { createBotApp } from './app';
import type { BotDeps } from './deps';

export type { BotDeps } from './deps';
export { connectorTokenProvider } from './connectorToken';
export { teamsRoster } from './roster';

export interface Bot {
  /** Handles one POST to /api/messages (authentication, turn, response). */
  handle(req: Request, res: Response): Promise<void>;
}

export function createBot(config: Config, deps: BotDeps, logger: Logger): Bot {
  const adapter = createAdapter(config, logger.child({ component: 'adapter' }));
  const app = createBotApp(deps, { adapter, botAppId: config.bot.appId });
  return {
    handle: (req, res) =>
      adapter.handle(req, res, async (context) => {
        await app.run(context);
      }),
  };
}
