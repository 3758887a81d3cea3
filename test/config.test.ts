import { ConfigError, loadConfig } from '../src/config';

const APP_ID = '6e5f4c3b-2a19-4d8e-9f70-1a2b3c4d5e6f';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('configuration', () => {
  test('when nothing is set then the defaults are local mode, port 3978, Swedish, Stockholm time and the embedded store', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3978,
      production: false,
      bot: { appId: undefined, type: 'MultiTenant' },
      storage: { connectionString: undefined, tablePrefix: 'malbild', localDataDir: '.data' },
      organisationFile: 'src/organisation/exempelskolan.yaml',
      allowedTenants: [],
      defaultLocale: 'sv-SE',
      timeZone: 'Europe/Stockholm',
      logLevel: 'info',
    });
  });

  test('when empty strings are given (as in a copied .env.sample) then they count as unset', () => {
    expect(loadConfig({ BOT_ID: '', BOT_PASSWORD: '', ALLOWED_TENANTS: '', TABLE_PREFIX: '' }).bot.appId).toBeUndefined();
  });

  test('when every variable is set then each is read', () => {
    const config = loadConfig({
      PORT: '8080',
      BOT_ID: APP_ID,
      BOT_PASSWORD: 'secret',
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: TENANT,
      AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      TABLE_PREFIX: 'skola1',
      ALLOWED_TENANTS: ` ${TENANT.toUpperCase()} , ${APP_ID}`,
      DEFAULT_LOCALE: 'en-US',
      TIME_ZONE: 'Europe/Helsinki',
      LOG_LEVEL: 'debug',
      BOT_OPENID_METADATA_URL: 'https://login.example.org/.well-known/openidconfiguration',
      BOT_TOKEN_ISSUER: 'https://api.botframework.com',
      ORGANISATION_FILE: '/etc/malbild/organisation.yaml',
    });
    expect(config.organisationFile).toBe('/etc/malbild/organisation.yaml');
    expect(config.port).toBe(8080);
    expect(config.bot).toEqual({
      appId: APP_ID,
      password: 'secret',
      type: 'SingleTenant',
      tenantId: TENANT,
      openIdMetadataUrl: 'https://login.example.org/.well-known/openidconfiguration',
      tokenIssuer: 'https://api.botframework.com',
    });
    expect(config.allowedTenants).toEqual([TENANT, APP_ID]);
    expect(config.storage.tablePrefix).toBe('skola1');
    expect(config.defaultLocale).toBe('en-US');
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ BOT_ID: 'not-a-guid' }, 'BOT_ID'],
    [{ BOT_TYPE: 'Sometimes' }, 'BOT_TYPE'],
    [{ BOT_ID: APP_ID }, 'BOT_PASSWORD'],
    [{ BOT_ID: APP_ID, BOT_PASSWORD: 'x', BOT_TYPE: 'SingleTenant' }, 'BOT_TENANT_ID'],
    [{ TABLE_PREFIX: '1abc' }, 'TABLE_PREFIX'],
    [{ TABLE_PREFIX: 'has-dash' }, 'TABLE_PREFIX'],
    [{ ALLOWED_TENANTS: 'contoso' }, 'ALLOWED_TENANTS'],
    [{ DEFAULT_LOCALE: 'de-DE' }, 'DEFAULT_LOCALE'],
    [{ TIME_ZONE: 'Mars/Olympus' }, 'TIME_ZONE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BOT_OPENID_METADATA_URL: 'not a url' }, 'BOT_OPENID_METADATA_URL'],
    [{ NODE_ENV: 'production', AZURE_STORAGE_CONNECTION_STRING: 'x' }, 'BOT_ID'],
    [{ NODE_ENV: 'production', BOT_ID: APP_ID, BOT_PASSWORD: 'x' }, 'AZURE_STORAGE_CONNECTION_STRING'],
    [{ NODE_ENV: 'production', BOT_ID: APP_ID, BOT_PASSWORD: 'x', AZURE_STORAGE_CONNECTION_STRING: 'x' }, 'ORGANISATION_FILE'],
  ])('when %p is given then the start stops with a message naming %s', (env, variable) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems.some((problem) => problem.startsWith(`${variable} `))).toBe(true);
  });

  test('when several variables are bad then all of them are named at once', () => {
    const problems = problemsOf({ PORT: 'x', TIME_ZONE: 'Nowhere', LOG_LEVEL: 'loud' });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(expect.arrayContaining(['PORT', 'TIME_ZONE', 'LOG_LEVEL']));
  });

  test('when a user-assigned managed identity is used then no password is needed', () => {
    expect(loadConfig({ BOT_ID: APP_ID, BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: TENANT }).bot.type).toBe('UserAssignedMsi');
  });
});
