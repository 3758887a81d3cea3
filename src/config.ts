import { existsSync } from 'node:fs';
import { z } from 'zod';
import { type QuietHours, parseQuietHours } from './time';

/**
 * The one reader of the environment. Every variable is documented in
 * .env.sample and in the README's configuration table.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** The Bot Framework's public cloud and the US Government cloud (botbuilder's AuthenticationConstants and GovernmentConstants). */
export const CHANNEL_SERVICES = {
  public: {
    openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    tokenIssuer: 'https://api.botframework.com',
    loginUrl: 'https://login.microsoftonline.com/botframework.com',
    oauthScope: 'https://api.botframework.com',
  },
  'https://botframework.azure.us': {
    openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    tokenIssuer: 'https://api.botframework.us',
    loginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    oauthScope: 'https://api.botframework.us',
  },
} as const;
const LOGIN_TENANT_PREFIX = { public: 'https://login.microsoftonline.com/', 'https://botframework.azure.us': 'https://login.microsoftonline.us/' } as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings in a .env file mean "not set". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

/** https, or http to this machine (a test's own token endpoint or metadata). */
const secureUrl = z
  .string()
  .url('must be a URL')
  .refine((value) => {
    // zod runs a refinement even after `.url()` failed.
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
  }, 'must be an https URL (http only to localhost)');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('sv-SE', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const environmentSchema = z
  .object({
    NODE_ENV: optionalText,
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9A-Za-z.:-]+$/, 'must be a host name or an IP address such as 0.0.0.0')
        .optional(),
    ),
    BOT_ID: optionalText.pipe(z.string().regex(GUID, "must be the bot's Microsoft App ID (a GUID)").optional()),
    BOT_PASSWORD: optionalText,
    BOT_TYPE: optionalText.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('MultiTenant')),
    BOT_TENANT_ID: optionalText.pipe(z.string().regex(GUID, 'must be a tenant id (a GUID)').optional()),
    AZURE_STORAGE_CONNECTION_STRING: optionalText,
    TABLE_PREFIX: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'must be a letter followed by at most 19 letters or digits')
        .default('malbild'),
    ),
    ALLOWED_TENANTS: optionalText.transform((value, ctx) => {
      const tenants = (value ?? '')
        .split(',')
        .map((tenant) => tenant.trim().toLowerCase())
        .filter(Boolean);
      const bad = tenants.filter((tenant) => !GUID.test(tenant));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `not tenant ids (GUIDs): ${bad.join(', ')}` });
      return tenants;
    }),
    DEFAULT_LOCALE: optionalText.pipe(
      z
        .string()
        .regex(/^(sv|en)(-[A-Za-z]{2})?$/, 'must be a Swedish or English locale such as sv-SE or en-US')
        .default('sv-SE'),
    ),
    TIME_ZONE: optionalText.pipe(z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Stockholm').default('Europe/Stockholm')),
    QUIET_HOURS: optionalText.pipe(
      z
        .string()
        .default('18:00-07:00')
        .transform(
          (value, ctx) => parseQuietHours(value) ?? (ctx.addIssue({ code: 'custom', message: 'must be two times HH:MM-HH:MM, e.g. 18:00-07:00' }), z.NEVER),
        ),
    ),
    LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).default('info')),
    BOT_CHANNEL_SERVICE: optionalText.pipe(
      z.enum(['https://botframework.azure.us'], { message: 'must be empty (public cloud) or https://botframework.azure.us' }).optional(),
    ),
    BOT_OPENID_METADATA_URL: optionalText.pipe(secureUrl.optional()),
    BOT_TOKEN_ISSUER: optionalText.pipe(z.string().url('must be a URL such as https://api.botframework.com').optional()),
    BOT_LOGIN_URL: optionalText.pipe(secureUrl.optional()),
    BOT_OAUTH_SCOPE: optionalText.pipe(z.string().url('must be a URL such as https://api.botframework.com').optional()),
    LOCAL_DATA_DIR: optionalText.pipe(z.string().default('.data')),
    ORGANISATION_FILE: optionalText,
    PROACTIVE_TENANT_RPS: optionalText.pipe(z.coerce.number().int().min(1).max(50).default(50)),
    PROACTIVE_MAX_RETRIES: optionalText.pipe(z.coerce.number().int().min(0).max(50).default(8)),
    SCHEDULER_POLL_MS: optionalText.pipe(z.coerce.number().int().min(1000).max(600_000).default(15_000)),
    SCHEDULER_LEASE_MS: optionalText.pipe(z.coerce.number().int().min(10_000).max(3_600_000).default(300_000)),
    SCHEDULER_MAX_ATTEMPTS: optionalText.pipe(z.coerce.number().int().min(1).max(20).default(5)),
    INSTANCE_ID: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, dots, dashes or underscores')
        .optional(),
    ),
    WEBSITE_INSTANCE_ID: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, dots, dashes or underscores')
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    const production = isProduction(env.NODE_ENV);
    if (!env.BOT_ID && production) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_ID'],
        message: `is required when NODE_ENV=${env.NODE_ENV} (an empty BOT_ID turns authentication off)`,
      });
    }
    if (env.BOT_ID && env.BOT_TYPE !== 'UserAssignedMsi' && !env.BOT_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['BOT_PASSWORD'], message: `is required when BOT_ID is set and BOT_TYPE is ${env.BOT_TYPE}` });
    }
    if (env.BOT_TYPE === 'UserAssignedMsi' && env.BOT_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_PASSWORD'],
        message: 'must be empty when BOT_TYPE is UserAssignedMsi (the managed identity has no password)',
      });
    }
    if (env.BOT_ID && env.BOT_TYPE !== 'MultiTenant' && !env.BOT_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['BOT_TENANT_ID'], message: `is required when BOT_TYPE is ${env.BOT_TYPE}` });
    }
    if (!env.ORGANISATION_FILE && production) {
      ctx.addIssue({
        code: 'custom',
        path: ['ORGANISATION_FILE'],
        message: 'is required when NODE_ENV=production (the demo organisation is for development only)',
      });
    }
    if (!env.AZURE_STORAGE_CONNECTION_STRING && production) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_CONNECTION_STRING'],
        message: 'is required when NODE_ENV=production (the embedded Azurite is for development only)',
      });
    }
  });

/** Any spelling of "production" counts: a guard that `Production` slips past guards nothing. */
function isProduction(nodeEnv: string | undefined): boolean {
  return nodeEnv?.toLowerCase() === 'production';
}

/** The demo organisation of the Agents Playground, relative to the project folder. */
export const DEMO_ORGANISATION_FILE = 'src/organisation/exempelskolan.yaml';

export type BotType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';

/**
 * The Bot Framework endpoints in both directions, each the cloud's default
 * unless overridden: every one is set, so an override of one never leaves
 * another empty.
 */
export interface ChannelSettings {
  /** US Government cloud, or undefined for the public cloud. */
  readonly channelService?: string;
  /** Inbound: the OpenID metadata whose keys sign the channel's tokens. */
  readonly openIdMetadataUrl: string;
  /** Inbound: the `iss` of the channel's tokens. */
  readonly tokenIssuer: string;
  /** Outbound: the authority the bot gets its tokens from; the token endpoint is `<loginUrl>/oauth2/v2.0/token`. */
  readonly loginUrl: string;
  /** Outbound: the audience of the bot's tokens (the Bot Connector). */
  readonly oauthScope: string;
}

export interface Config {
  readonly production: boolean;
  readonly port: number;
  /** The address to listen on; local mode listens on 127.0.0.1 only unless HOST says otherwise. Undefined: all interfaces. */
  readonly host?: string;
  /** appId undefined is local mode: no authentication, for the Playground and tests. */
  readonly bot: {
    readonly appId?: string;
    readonly password?: string;
    readonly type: BotType;
    readonly tenantId?: string;
    readonly channel: ChannelSettings;
  };
  readonly storage: {
    /** Undefined: start the embedded Azurite under `localDataDir`. */
    readonly connectionString?: string;
    readonly tablePrefix: string;
    readonly localDataDir: string;
  };
  /** The organisation file (schools, principals, goals, läsår); the demo school by default. */
  readonly organisationFile: string;
  /** Lower-case tenant ids; empty means any tenant. */
  readonly allowedTenants: readonly string[];
  readonly defaultLocale: string;
  readonly timeZone: string;
  /** Evening and night in the school's time zone: reminders and puffar wait for the next school day's morning. */
  readonly quietHours: QuietHours;
  /** Proactive messages (the outbox's sender). */
  readonly proactive: {
    /** Bot Connector requests per second per tenant, across all conversations (Teams allows 50). */
    readonly tenantRequestsPerSecond: number;
    /** Retries of one recipient after transient failures (412, 429, 502, 503, 504, network). */
    readonly maxRetries: number;
  };
  /** Scheduled work (check-ins, reminders). */
  readonly scheduler: {
    readonly pollIntervalMs: number;
    /** How long a running job is held before another instance may take it over. */
    readonly leaseMs: number;
    /** Runs of a failing job, the first included. */
    readonly maxAttempts: number;
  };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /**
   * This machine's id, stable across restarts (INSTANCE_ID, else App
   * Service's WEBSITE_INSTANCE_ID; undefined: the host name), so that a
   * restarted bot takes back its own sending leases and claims at once.
   */
  readonly instanceId?: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default); throws ConfigError naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`));
  }
  const e = parsed.data;
  const cloud = e.BOT_CHANNEL_SERVICE ?? 'public';
  const defaults = CHANNEL_SERVICES[cloud];
  // A single-tenant bot and a managed identity get their tokens from their own tenant.
  const defaultLoginUrl = e.BOT_TYPE !== 'MultiTenant' && e.BOT_TENANT_ID ? LOGIN_TENANT_PREFIX[cloud] + e.BOT_TENANT_ID : defaults.loginUrl;
  return {
    production: isProduction(e.NODE_ENV),
    port: e.PORT,
    host: e.HOST ?? (e.BOT_ID ? undefined : '127.0.0.1'),
    bot: {
      appId: e.BOT_ID,
      password: e.BOT_PASSWORD,
      type: e.BOT_TYPE,
      tenantId: e.BOT_TENANT_ID,
      channel: {
        channelService: e.BOT_CHANNEL_SERVICE,
        openIdMetadataUrl: e.BOT_OPENID_METADATA_URL ?? defaults.openIdMetadataUrl,
        tokenIssuer: e.BOT_TOKEN_ISSUER ?? defaults.tokenIssuer,
        loginUrl: (e.BOT_LOGIN_URL ?? defaultLoginUrl).replace(/\/+$/, ''),
        oauthScope: e.BOT_OAUTH_SCOPE ?? defaults.oauthScope,
      },
    },
    storage: {
      connectionString: e.AZURE_STORAGE_CONNECTION_STRING,
      tablePrefix: e.TABLE_PREFIX,
      localDataDir: e.LOCAL_DATA_DIR,
    },
    organisationFile: e.ORGANISATION_FILE ?? DEMO_ORGANISATION_FILE,
    allowedTenants: e.ALLOWED_TENANTS,
    defaultLocale: e.DEFAULT_LOCALE,
    timeZone: e.TIME_ZONE,
    quietHours: e.QUIET_HOURS,
    proactive: { tenantRequestsPerSecond: e.PROACTIVE_TENANT_RPS, maxRetries: e.PROACTIVE_MAX_RETRIES },
    scheduler: { pollIntervalMs: e.SCHEDULER_POLL_MS, leaseMs: e.SCHEDULER_LEASE_MS, maxAttempts: e.SCHEDULER_MAX_ATTEMPTS },
    logLevel: e.LOG_LEVEL,
    instanceId: e.INSTANCE_ID ?? e.WEBSITE_INSTANCE_ID,
  };
}

/**
 * Reads `.env` into the environment when it exists (variables already set
 * win), then parses it. Used by the program's entry; tests call loadConfig.
 */
export function loadConfigFromEnvironment(dotEnvPath = '.env'): Config {
  if (existsSync(dotEnvPath)) process.loadEnvFile(dotEnvPath);
  return loadConfig(process.env);
}
