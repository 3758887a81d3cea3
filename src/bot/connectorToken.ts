import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { Config } from '../config';

const LOGIN_PREFIX = 'https://login.microsoftonline.com/';
const CHANNEL_SCOPE = 'https://api.botframework.com';

interface TokenCredentials {
  getToken?(forceRefresh?: boolean): Promise<string>;
}

/**
 * Bearer tokens for calls to the Bot Connector, from the bot's own
 * credentials (password or managed identity) through botbuilder's factory,
 * which caches and refreshes them. Local mode (no BOT_ID) sends no token.
 */
export function connectorTokenProvider(config: Config): () => Promise<string | undefined> {
  const { bot } = config;
  const appId = bot.appId;
  if (!appId) return async () => undefined;
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: bot.password ?? '',
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  });
  const loginEndpoint = LOGIN_PREFIX + (bot.type === 'MultiTenant' ? 'botframework.com' : (bot.tenantId ?? 'botframework.com'));
  let credentials: Promise<TokenCredentials> | undefined;
  return async () => {
    credentials ??= factory.createCredentials(appId, CHANNEL_SCOPE, loginEndpoint, true) as Promise<TokenCredentials>;
    const current = await credentials;
    if (!current.getToken) throw new Error(`Credentials for BOT_TYPE ${bot.type} cannot issue connector tokens`);
    return current.getToken();
  };
}
