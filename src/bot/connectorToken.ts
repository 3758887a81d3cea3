import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

/**
 * The bot's outbound identity: the bearer tokens it presents to the Bot
 * Connector, for replies (through botbuilder) and for proactive messages
 * (through the outbox's HTTP connector) alike, from one token cache.
 *
 * With a password (MultiTenant, SingleTenant) the token comes from the OAuth
 * 2.0 client-credentials grant at `<BOT_LOGIN_URL>/oauth2/v2.0/token`.
 * botbuilder would get it through MSAL, which accepts only https authorities
 * and asks login.microsoftonline.com about any authority it does not know, so
 * a sovereign cloud's or a test's own token endpoint could not be reached.
 * A managed identity stays with botbuilder (Azure Identity's managed identity
 * sources: App Service's IDENTITY_ENDPOINT, or the instance metadata service).
 */

type CredentialsFactory = NonNullable<ConstructorParameters<typeof TeamsAdapter>[1]>;
type Credentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>;
type SignedResource = Parameters<Credentials['signRequest']>[0];

/** A token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

/** One factory, and so one token cache, per configuration: replies and the outbox share it. */
const factories = new WeakMap<Config, BotCredentialsFactory>();

/** The credentials factory botbuilder's adapter uses for replies. */
export function credentialsFactoryFor(config: Config): CredentialsFactory {
  let factory = factories.get(config);
  if (!factory) {
    factory = new BotCredentialsFactory(config);
    factories.set(config, factory);
  }
  return factory;
}

/**
 * Bearer tokens for the outbox's calls to the Bot Connector, with the same
 * settings and cache as the replies. Local mode (no BOT_ID) sends no token.
 */
export function connectorTokenProvider(config: Config): () => Promise<string | undefined> {
  const { bot } = config;
  const appId = bot.appId;
  if (!appId) return async () => undefined;
  const factory = credentialsFactoryFor(config);
  return async () => {
    const credentials = (await factory.createCredentials(appId, bot.channel.oauthScope, bot.channel.loginUrl, true)) as Credentials & {
      getToken?(forceRefresh?: boolean): Promise<string>;
    };
    if (!credentials.getToken) throw new Error(`Credentials for BOT_TYPE ${bot.type} cannot issue connector tokens`);
    return credentials.getToken();
  };
}

class BotCredentialsFactory extends ConfigurationServiceClientCredentialFactory {
  /** One token source per audience, shared by every turn and the outbox. */
  private readonly sources = new Map<string, ClientSecretCredentials>();

  constructor(private readonly config: Config) {
    const { bot } = config;
    super({
      MicrosoftAppId: bot.appId ?? '',
      MicrosoftAppPassword: bot.password ?? '',
      MicrosoftAppType: bot.type,
      MicrosoftAppTenantId: bot.tenantId ?? '',
    });
  }

  override async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string, validateAuthority: boolean): Promise<Credentials> {
    const { bot } = this.config;
    if (!bot.appId || !bot.password) return super.createCredentials(appId, audience ?? bot.channel.oauthScope, loginEndpoint, validateAuthority);
    if (appId !== bot.appId) throw new Error('Invalid appId.');
    const scope = audience || bot.channel.oauthScope;
    let source = this.sources.get(scope);
    if (!source) {
      source = new ClientSecretCredentials(bot.appId, bot.password, `${bot.channel.loginUrl}/oauth2/v2.0/token`, scope);
      this.sources.set(scope, source);
    }
    return source;
  }
}

interface CachedToken {
  readonly accessToken: string;
  readonly renewAt: number;
}

/** OAuth 2.0 client credentials (RFC 6749 §4.4) against one token endpoint, cached until shortly before expiry. */
class ClientSecretCredentials {
  private cached?: CachedToken;
  private pending?: Promise<CachedToken>;

  constructor(
    readonly appId: string,
    private readonly secret: string,
    private readonly tokenEndpoint: string,
    readonly oAuthScope: string,
  ) {}

  // The password stays out of anything that serialises this object (a logged error, say).
  toJSON(): Record<string, string> {
    return { appId: this.appId, oAuthScope: this.oAuthScope, tokenEndpoint: this.tokenEndpoint };
  }

  async signRequest(resource: SignedResource): Promise<SignedResource> {
    resource.headers.set('authorization', `Bearer ${await this.getToken()}`);
    return resource;
  }

  async getToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.cached && Date.now() < this.cached.renewAt) return this.cached.accessToken;
    // Concurrent turns wait for one request instead of sending one each.
    this.pending ??= this.requestToken().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached.accessToken;
  }

  private async requestToken(): Promise<CachedToken> {
    const scope = this.oAuthScope.endsWith('/.default') ? this.oAuthScope : `${this.oAuthScope}/.default`;
    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.appId, client_secret: this.secret, scope }),
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof body.access_token !== 'string' || !body.access_token) {
      const reason = typeof body.error === 'string' ? body.error : 'no access_token';
      throw new Error(`The token endpoint answered ${response.status} (${reason})`);
    }
    const lifetimeMs = Number(body.expires_in) * 1000;
    const validMs = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : RENEW_BEFORE_MS;
    return { accessToken: body.access_token, renewAt: Date.now() + Math.max(0, validMs - RENEW_BEFORE_MS) };
  }
}
