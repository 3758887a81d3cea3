import type { ConversationRepository } from '../domain/conversations';
import type { Logger } from '../logger';

/** What the bot's handlers are given; built once in src/index.ts. */
export interface BotDeps {
  conversations: ConversationRepository;
  logger: Logger;
  defaultLocale: string;
  /** Lower-case tenant ids; empty means any tenant. */
  allowedTenants: readonly string[];
  now: () => Date;
}
