import { type Activity, TestAdapter, type TurnContext } from 'botbuilder';
import { createBotApp } from '../../src/bot/app';
import { turnErrorHandler } from '../../src/bot/adapter';
import type { BotDeps } from '../../src/bot/deps';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from './azurite';
import { capturingLogger } from './bot';

export interface ConversationHarness {
  stores: Stores;
  deps: BotDeps;
  logLines: Record<string, unknown>[];
  /** Runs one Teams-shaped activity (wire JSON, as Teams posts it) through app.run and returns what the bot sent. */
  send(activity: object): Promise<Partial<Activity>[]>;
}

/**
 * Drives the real Teams application through botbuilder's TestAdapter with
 * channelId 'msteams', on real Table Storage (the test Azurite).
 */
export async function conversationHarness(overrides: Partial<BotDeps> = {}): Promise<ConversationHarness> {
  const stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('c') });
  const { logger, lines } = capturingLogger('debug');
  const deps: BotDeps = {
    conversations: stores.conversations,
    logger,
    defaultLocale: 'sv-SE',
    allowedTenants: [],
    now: () => new Date(),
    ...overrides,
  };
  const app = createBotApp(deps, { storage: stores.turnState });
  const adapter = new TestAdapter(async (context: TurnContext) => {
    await app.run(context);
  }, { channelId: 'msteams' });
  adapter.onTurnError = turnErrorHandler(logger, deps.defaultLocale);
  return {
    stores,
    deps,
    logLines: lines,
    async send(activity) {
      adapter.activeQueue.splice(0);
      await adapter.processActivity(activity as Partial<Activity>);
      return adapter.activeQueue.splice(0);
    },
  };
}

/** The Adaptive Card content of a sent activity, or undefined. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const attachment = activity?.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive'
    ? (attachment.content as Record<string, unknown>)
    : undefined;
}

/** All text shown on a card, for assertions. */
export function cardText(activity: Partial<Activity> | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(cardOf(activity));
  return texts.join('\n');
}
