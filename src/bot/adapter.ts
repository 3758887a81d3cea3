import { type Activity, ActivityTypes, INVOKE_RESPONSE_KEY, type Request, type Response, type TurnContext } from 'botbuilder';
// From its own module, not the package's index: the index also loads teams-ai's AI
// planners and their OpenAI client and tokenizer, which Målbild never uses (about
// 0.3 s of a start, measured). teams-ai 1.x has no `exports` map; the path is
// pinned with the version in package.json.
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { Config } from '../config';
import { stringsFor } from '../i18n';
import type { Logger } from '../logger';
import { unexpectedInvokeResponse } from './cardActions';
import { languageOfTurn } from './turn';
import { ChannelTokenValidator } from './channelToken';
import { credentialsFactoryFor } from './connectorToken';
import { parseIncomingActivity } from './incomingActivity';
import { appIdOf, ReusedClients } from './turnClients';

/** The user token service and the caller id of each cloud (botbuilder's AuthenticationConstants, GovernmentConstants). */
const CLOUD_IDENTITY = {
  public: { oAuthUrl: 'https://api.botframework.com', callerId: 'urn:botframework:azure' },
  government: { oAuthUrl: 'https://api.botframework.azure.us', callerId: 'urn:botframework:azureusgov' },
} as const;

type Logic = (context: TurnContext) => Promise<void>;
type Authentication = Exclude<Parameters<BotAdapter['processActivity']>[0], string>;
type ConnectorFactory = NonNullable<Authentication['connectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<BotAdapter['botFrameworkAuthentication']['createUserTokenClient']>>;

/**
 * The Bot Framework adapter. With no BOT_ID (local mode) the Bot Framework
 * skips authentication both ways; that is refused in production by config.
 *
 * Every endpoint is given explicitly: botbuilder takes any one override as
 * the whole configuration, so an OpenID metadata override alone used to
 * leave the bot without a login URL, unable to reply.
 */
export function createAdapter(config: Config, logger: Logger): BotAdapter {
  const adapter = new BotAdapter(config, logger);
  adapter.onTurnError = turnErrorHandler(logger, config.defaultLocale);
  return adapter;
}

export class BotAdapter extends TeamsAdapter {
  private readonly tokens?: ChannelTokenValidator;
  private readonly connectorClients = new ReusedClients<ConnectorClient>();
  private readonly userTokenClients = new ReusedClients<UserTokenClient>();

  constructor(
    config: Config,
    private readonly logger: Logger,
  ) {
    const { bot } = config;
    const { channel } = bot;
    const cloud = CLOUD_IDENTITY[channel.channelService ? 'government' : 'public'];
    super(
      {
        MicrosoftAppId: bot.appId ?? '',
        MicrosoftAppPassword: bot.password ?? '',
        MicrosoftAppType: bot.type,
        MicrosoftAppTenantId: bot.tenantId ?? '',
        ToChannelFromBotLoginUrl: channel.loginUrl,
        ToChannelFromBotOAuthScope: channel.oauthScope,
        ToBotFromChannelOpenIdMetadataUrl: channel.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: channel.tokenIssuer,
        // Emulator tokens are refused; this keeps botbuilder from fetching the Emulator's keys.
        ToBotFromEmulatorOpenIdMetadataUrl: channel.openIdMetadataUrl,
        OAuthUrl: cloud.oAuthUrl,
        CallerId: cloud.callerId,
        ValidateAuthority: true,
      },
      credentialsFactoryFor(config),
      {
        requiredEndorsements: [],
        // Only the channel's tokens: not the Emulator's, not another bot's (skills).
        validateClaims: async (claims) => {
          if (!claims.some((claim) => claim.type === 'iss' && claim.value === channel.tokenIssuer)) throw new Error('not issued by the channel');
        },
      },
    );
    if (bot.appId) {
      this.tokens = new ChannelTokenValidator({ appId: bot.appId, openIdMetadataUrl: channel.openIdMetadataUrl, tokenIssuer: channel.tokenIssuer });
    }
    // processActivity asks the authentication for a user token client on every turn; it gets the one already made (./turnClients).
    const authentication = this.botFrameworkAuthentication;
    const makeUserTokenClient = authentication.createUserTokenClient.bind(authentication);
    authentication.createUserTokenClient = (claims) => this.userTokenClients.get(appIdOf(claims), () => makeUserTokenClient(claims));
  }

  /**
   * One POST to /api/messages, in this order: the token (401, or 503 when
   * the channel's keys cannot be loaded), then the activity's shape (400),
   * then the turn. An unauthenticated caller learns nothing about what the
   * bot would accept. A refusal is one warning in the log, with the reason
   * and never the token, and an empty response; no turn runs, so nothing is
   * sent or stored. Unexpected errors are left to the server (500).
   */
  async handle(req: Request, res: Response, logic: Logic): Promise<void> {
    const body: unknown = req.body;
    const fields = isRecord(body) ? body : {};
    const authorization = headerOf(req, 'authorization');
    const log = this.logger.child({ activityId: typeof fields.id === 'string' ? fields.id : undefined });

    if (this.tokens) {
      const verdict = await this.tokens.check(authorization, fields);
      if (!verdict.ok) {
        log.warn({ status: verdict.status, reason: verdict.reason }, 'request refused: authentication failed');
        return end(res, verdict.status);
      }
    }
    const parsed = parseIncomingActivity(body, { loopbackOnly: !this.tokens });
    if (!parsed.ok) {
      log.warn({ problems: parsed.problems }, 'request refused: not an activity a turn can run on');
      return end(res, 400);
    }
    const activity = withDates(parsed.activity as unknown as Activity);
    let authentication: Parameters<BotAdapter['processActivity']>[0];
    try {
      authentication = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization ?? '');
    } catch (error) {
      log.warn(
        { status: 401, reason: `refused by botbuilder: ${error instanceof Error ? error.message : String(error)}` },
        'request refused: authentication failed',
      );
      return end(res, 401);
    }
    const invokeResponse = await this.processActivity(this.reusingClients(authentication), activity, logic);
    end(res, invokeResponse?.status ?? 200, invokeResponse?.body);
  }

  /** The authentication's connector factory, giving the client already made for the bot, service URL and audience (./turnClients). */
  private reusingClients(authentication: Authentication): Authentication {
    const factory = authentication.connectorFactory;
    if (!factory) return authentication;
    const appId = appIdOf(authentication.claimsIdentity);
    const reused: ConnectorFactory = {
      create: (serviceUrl, audience) => this.connectorClients.get(`${appId}\n${serviceUrl}\n${audience ?? ''}`, () => factory.create(serviceUrl, audience)),
    };
    return { ...authentication, connectorFactory: reused };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerOf(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** As botbuilder's CloudAdapter answers: the status, the invoke response's body if any. */
function end(res: Response, status: number, body?: unknown): void {
  res.status(status);
  if (body) res.send(body);
  res.end();
}

/** The timestamps as Dates, with the raw strings kept, as botbuilder's CloudAdapter prepares an activity. */
function withDates(activity: Activity): Activity {
  const raw = activity as Activity & Record<string, unknown>;
  if (typeof raw.timestamp === 'string') {
    raw.rawTimestamp = raw.timestamp;
    raw.timestamp = new Date(raw.timestamp);
  }
  if (typeof raw.localTimestamp === 'string') {
    raw.rawLocalTimestamp = raw.localTimestamp;
    raw.localTimestamp = new Date(raw.localTimestamp);
  }
  if (typeof raw.expiration === 'string') {
    raw.rawExpiration = raw.expiration;
    raw.expiration = new Date(raw.expiration);
  }
  return activity;
}

/**
 * The one place unexpected errors end: logged with the activity id, and the
 * user told in their language that something went wrong (never a stack trace).
 */
export function turnErrorHandler(logger: Logger, defaultLocale: string) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const { activity } = context;
    logger.error({ err: error, activityId: activity.id, activityType: activity.type, conversationId: activity.conversation?.id }, 'turn failed');
    // Only a person who asked for something is told; an install or an event is not.
    if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.Invoke) return;
    try {
      const message = stringsFor(languageOfTurn(context, defaultLocale)).errors.unexpected;
      if (activity.type === ActivityTypes.Invoke) {
        // A card action is answered in its own response, or Teams shows an error of its own (HTTP 501, no body).
        if (!context.turnState.get(INVOKE_RESPONSE_KEY)) await context.sendActivity(unexpectedInvokeResponse(message));
        return;
      }
      await context.sendActivity(message);
    } catch (sendError) {
      logger.error({ err: sendError, activityId: activity.id }, 'could not tell the user about the failed turn');
    }
  };
}
