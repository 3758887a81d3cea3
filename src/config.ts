import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The one reader of the environment. Every variable is documented in
 * .env.sample and in the README's configuration table.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings in a .env file mean "not set". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

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
    BOT_ID: optionalText.pipe(z.string().regex(GUID, 'must be the bot\'s Microsoft App ID (a GUID)').optional()),
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
    TIME_ZONE: optionalText.pipe(
      z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Stockholm').default('Europe/Stockholm'),
    ),
    LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).default('info')),
    BOT_OPENID_METADATA_URL: optionalText.pipe(z.string().url('must be a URL').optional()),
    BOT_TOKEN_ISSUER: optionalText,
    LOCAL_DATA_DIR: optionalText.pipe(z.string().default('.data')),
    ORGANISATION_FILE: optionalText,
    PROACTIVE_TENANT_RPS: optionalText.pipe(z.coerce.number().int().min(1).max(50).default(50)),
    PROACTIVE_MAX_RETRIES: optionalText.pipe(z.coerce.number().int().min(0).max(50).default(8)),
    SCHEDULER_POLL_MS: optionalText.pipe(z.coerce.number().int().min(1000).max(600_000).default(15_000)),
    SCHEDULER_LEASE_MS: optionalText.pipe(z.coerce.number().int().min(10_000).max(3_600_000).default(300_000)),
    SCHEDULER_MAX_ATTEMPTS: optionalText.pipe(z.coerce.number().int().min(1).max(20).default(5)),
    INSTANCE_ID: optionalText.pipe(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, dots, dashes or underscores').optional()),
    WEBSITE_INSTANCE_ID: optionalText.pipe(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, dots, dashes or underscores').optional()),
  })
  .superRefine((env, ctx) => {
    const production = env.NODE_ENV === 'production';
    if (!env.BOT_ID && production) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_ID'],
        message: 'is required when NODE_ENV=production (an empty BOT_ID turns authentication off)',
      });
    }
    if (env.BOT_ID && env.BOT_TYPE !== 'UserAssignedMsi' && !env.BOT_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['BOT_PASSWORD'], message: `is required when BOT_ID is set and BOT_TYPE is ${env.BOT_TYPE}` });
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

/** The demo organisation of the Agents Playground, relative to the project folder. */
export const DEMO_ORGANISATION_FILE = 'src/organisation/exempelskolan.yaml';

export type BotType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';

export interface Config {
  readonly production: boolean;
  readonly port: number;
  /** Undefined in local mode: no authentication, for the Playground and tests. */
  readonly bot: {
    readonly appId?: string;
    readonly password?: string;
    readonly type: BotType;
    readonly tenantId?: string;
    readonly openIdMetadataUrl?: string;
    readonly tokenIssuer?: string;
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
  return {
    production: e.NODE_ENV === 'production',
    port: e.PORT,
    bot: {
      appId: e.BOT_ID,
      password: e.BOT_PASSWORD,
      type: e.BOT_TYPE,
      tenantId: e.BOT_TENANT_ID,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
      tokenIssuer: e.BOT_TOKEN_ISSUER,
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
