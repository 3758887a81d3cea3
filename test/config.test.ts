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
      BOT_LOGIN_URL: 'https://login.example.org/tenant/',
      BOT_OAUTH_SCOPE: 'https://api.example.org',
      HOST: '0.0.0.0',
      ORGANISATION_FILE: '/etc/malbild/organisation.yaml',
    });
    expect(config.organisationFile).toBe('/etc/malbild/organisation.yaml');
    expect(config.port).toBe(8080);
    expect(config.bot).toEqual({
      appId: APP_ID,
      password: 'secret',
      type: 'SingleTenant',
      tenantId: TENANT,
      channel: {
        channelService: undefined,
        openIdMetadataUrl: 'https://login.example.org/.well-known/openidconfiguration',
        tokenIssuer: 'https://api.botframework.com',
        loginUrl: 'https://login.example.org/tenant',
        oauthScope: 'https://api.example.org',
      },
    });
    expect(config.host).toBe('0.0.0.0');
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
    [{ NODE_ENV: 'Production', AZURE_STORAGE_CONNECTION_STRING: 'x', ORGANISATION_FILE: 'o.yaml' }, 'BOT_ID'],
    [{ NODE_ENV: 'PRODUCTION', AZURE_STORAGE_CONNECTION_STRING: 'x', ORGANISATION_FILE: 'o.yaml' }, 'BOT_ID'],
    [{ NODE_ENV: 'Production', BOT_ID: APP_ID, BOT_PASSWORD: 'x' }, 'AZURE_STORAGE_CONNECTION_STRING'],
    [{ BOT_ID: APP_ID, BOT_PASSWORD: 'x', BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: TENANT }, 'BOT_PASSWORD'],
    [{ BOT_LOGIN_URL: 'http://login.example.org/botframework.com' }, 'BOT_LOGIN_URL'],
    [{ BOT_LOGIN_URL: 'login.example.org' }, 'BOT_LOGIN_URL'],
    [{ BOT_OPENID_METADATA_URL: 'http://login.example.org/.well-known/openidconfiguration' }, 'BOT_OPENID_METADATA_URL'],
    [{ BOT_OAUTH_SCOPE: 'botframework' }, 'BOT_OAUTH_SCOPE'],
    [{ BOT_TOKEN_ISSUER: 'botframework' }, 'BOT_TOKEN_ISSUER'],
    [{ BOT_CHANNEL_SERVICE: 'https://botframework.example.org' }, 'BOT_CHANNEL_SERVICE'],
    [{ HOST: 'every where' }, 'HOST'],
    [{ NODE_ENV: 'production', BOT_ID: APP_ID, BOT_PASSWORD: 'x' }, 'AZURE_STORAGE_CONNECTION_STRING'],
    [{ NODE_ENV: 'production', BOT_ID: APP_ID, BOT_PASSWORD: 'x', AZURE_STORAGE_CONNECTION_STRING: 'x' }, 'ORGANISATION_FILE'],
  ])('when %p is given then the start stops with a message naming %s', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems.some((problem) => problem.startsWith(`${variable} `))).toBe(true);
  });

  test('when several variables are bad then all of them are named at once', () => {
    const problems = problemsOf({ PORT: 'x', TIME_ZONE: 'Nowhere', LOG_LEVEL: 'loud' });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(expect.arrayContaining(['PORT', 'TIME_ZONE', 'LOG_LEVEL']));
  });

  test('when a user-assigned managed identity is used then no password is needed', () => {
    expect(loadConfig({ BOT_ID: APP_ID, BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: TENANT }).bot.type).toBe('UserAssignedMsi');
  });

  test('when a user-assigned managed identity is given a password then the start stops and says the identity has none', () => {
    const problems = problemsOf({ BOT_ID: APP_ID, BOT_PASSWORD: 'secret', BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: TENANT });
    expect(problems).toEqual(['BOT_PASSWORD must be empty when BOT_TYPE is UserAssignedMsi (the managed identity has no password)']);
  });

  test('when NODE_ENV is Production in any case then production rules apply', () => {
    const env = { BOT_ID: APP_ID, BOT_PASSWORD: 'x', AZURE_STORAGE_CONNECTION_STRING: 'x', ORGANISATION_FILE: 'o.yaml' };
    expect(loadConfig({ ...env, NODE_ENV: 'Production' }).production).toBe(true);
    expect(loadConfig({ ...env, NODE_ENV: 'PRODUCTION' }).production).toBe(true);
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).production).toBe(false);
  });

  test('when BOT_ID is empty then the server listens on 127.0.0.1 only, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ BOT_ID: APP_ID, BOT_PASSWORD: 'x' }).host).toBeUndefined();
  });

  test('when nothing about the channel is set then both directions use the public cloud', () => {
    expect(loadConfig({ BOT_ID: APP_ID, BOT_PASSWORD: 'x' }).bot.channel).toEqual({
      channelService: undefined,
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      tokenIssuer: 'https://api.botframework.com',
      loginUrl: 'https://login.microsoftonline.com/botframework.com',
      oauthScope: 'https://api.botframework.com',
    });
  });

  test('when only the inbound metadata is overridden then the outbound login URL and scope keep their defaults', () => {
    const channel = loadConfig({
      BOT_ID: APP_ID,
      BOT_PASSWORD: 'x',
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/metadata',
      BOT_TOKEN_ISSUER: 'https://issuer.example.org',
    }).bot.channel;
    expect(channel).toMatchObject({ loginUrl: 'https://login.microsoftonline.com/botframework.com', oauthScope: 'https://api.botframework.com' });
  });

  test('when the bot is single-tenant then it gets its tokens from its own tenant', () => {
    const config = loadConfig({ BOT_ID: APP_ID, BOT_PASSWORD: 'x', BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: TENANT });
    expect(config.bot.channel.loginUrl).toBe(`https://login.microsoftonline.com/${TENANT}`);
  });

  test('when the channel service is the US Government cloud then its endpoints are the defaults', () => {
    const channel = loadConfig({ BOT_ID: APP_ID, BOT_PASSWORD: 'x', BOT_CHANNEL_SERVICE: 'https://botframework.azure.us' }).bot.channel;
    expect(channel).toEqual({
      channelService: 'https://botframework.azure.us',
      openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      tokenIssuer: 'https://api.botframework.us',
      loginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
      oauthScope: 'https://api.botframework.us',
    });
  });
});
