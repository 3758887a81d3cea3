import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { type Config, ConfigError, loadConfigFromEnvironment } from './config';
import { createLogger, type Logger } from './logger';
import type { BotDeps } from './bot';
import type { Roster } from './bot/roster';
import { planActivitySweep } from './effects/processedActivities';
import { type LearningGroupEffects, LearningGroupService } from './domain/learningGroupService';
import { defaultCheckInQuestions } from './i18n';
import { GoalDialogueManagement, type GoalDialogueLifecycleEffects } from './domain/goalDialogueManagement';
import { type DialogueDelivery, type GoalDialogueEffects, GoalDialogueService } from './domain/goalDialogueService';
import { type GoalChainEffects, GoalChainService } from './domain/goalChain';
import { goalsFromOrganisation, SchoolGoalService } from './domain/schoolGoals';
import { GoalMapService } from './domain/goalMapService';
import { GoalDialogueYears } from './domain/goalDialogueYears';
import { FollowUpService } from './domain/followUpService';
import { FollowUpRecord } from './domain/followUpRecord';
import { FollowUpRounds } from './domain/followUpRounds';
import { IndicatorService } from './domain/indicatorService';
import { ResultDialogueService } from './domain/resultDialogueService';
import { focusFromOrganisation, SchoolFocusService } from './domain/schoolFocus';
import { NudgeService } from './domain/nudgeService';
import { processOwnerId } from './instanceId';
import { loadOrganisation } from './organisation/loadOrganisation';
import { createProactiveDelivery, type ProactiveDelivery } from './proactive';
import { createHttpConnector } from './proactive/httpConnector';
import { createScheduler, type Scheduler } from './scheduler';
import type { RunningServer } from './server';
import { freePort, startEmbeddedAzurite, type EmbeddedAzurite } from './storage/embeddedAzurite';
import type { Stores } from './storage';
import type { Clock } from './time';
import type { SchoolClock } from './domain/schoolClock';

export interface Running {
  readonly server: RunningServer;
  stop(): Promise<void>;
}

/** Wiring: storage → bot → routes → server. */
export interface StartOptions {
  /** The host to listen on, instead of the configured one (HOST; 127.0.0.1 in local mode). */
  host?: string;
  /** The clock of every component; tests move it to reach scheduled times. */
  now?: Clock;
}

export async function start(config: Config, logger: Logger, options: StartOptions = {}): Promise<Running> {
  const host = options.host ?? config.host;
  if (!config.bot.appId) {
    logger.warn('LOCAL MODE: BOT_ID is empty, so requests are NOT authenticated. Use this only on your own machine.');
  }

  let storage: Promise<{ connectionString: string; azurite?: EmbeddedAzurite }>;
  if (config.storage.connectionString) {
    logger.info('storage: the Azure Table Storage account in AZURE_STORAGE_CONNECTION_STRING');
    storage = Promise.resolve({ connectionString: config.storage.connectionString });
  } else {
    const location = resolve(join(config.storage.localDataDir, 'azurite'));
    // Spawned now (with its port given, the process starts before the first await inside), so
    // that Azurite starts in its own process while this one loads the bot's modules below.
    storage = startEmbeddedAzurite({ location, port: await freePort() }).then((azurite) => {
      logger.info({ location, port: azurite.port }, 'storage: embedded Azurite (AZURE_STORAGE_CONNECTION_STRING is not set)');
      return { connectionString: azurite.connectionString, azurite };
    });
    // Awaited below; until then a failed start must not count as an unhandled rejection.
    storage.catch(() => undefined);
  }
  const { createBot, startServer, openStores } = await loadModules();
  const { connectionString, azurite } = await storage;

  let background: Background | undefined;
  try {
    const stores = await openStores({ connectionString, tablePrefix: config.storage.tablePrefix });
    const wired = await buildServices(config, stores, logger, options.now ?? (() => new Date()));
    background = wired;
    const bot = createBot(config, wired.deps, logger);
    const server = await startServer(config.port, { messages: (req, res) => bot.handle(req, res), healthy: () => stores.ping() }, logger, host);
    wired.proactive.start();
    wired.scheduler.start();
    return {
      server,
      stop: async () => {
        // The server first (no new turns), then the background work finishes what it holds.
        await server.close();
        await Promise.all([wired.scheduler.stop(), wired.proactive.stop()]);
        await azurite?.stop();
      },
    };
  } catch (error) {
    await Promise.all([background?.scheduler.stop(), background?.proactive.stop()]);
    await azurite?.stop();
    throw error;
  }
}

/**
 * The modules that take most of a start's time to load (botbuilder and
 * teams-ai, restify, the Table SDK, the card templating): loaded when
 * start() or buildServices() needs them rather than with this file, so that
 * start() loads them while the embedded Azurite starts in its own process.
 */
async function loadModules() {
  const [bot, server, storage, goalEffects, groupEffects, followUpEffects, nudgeEffects] = await Promise.all([
    import('./bot'),
    import('./server'),
    import('./storage'),
    import('./effects/goalDialogues'),
    import('./effects/learningGroups'),
    import('./effects/followUps'),
    import('./effects/nudges'),
  ]);
  return {
    createBot: bot.createBot,
    connectorTokenProvider: bot.connectorTokenProvider,
    teamsRoster: bot.teamsRoster,
    startServer: server.startServer,
    openStores: storage.openStores,
    GoalDialogueDelivery: goalEffects.GoalDialogueDelivery,
    LearningGroupDelivery: groupEffects.LearningGroupDelivery,
    FollowUpDelivery: followUpEffects.FollowUpDelivery,
    NudgeDelivery: nudgeEffects.NudgeDelivery,
  };
}

interface Background {
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
}

/** The services and the background workers, as start() runs them: what the bot's routes are given. */
export interface Services extends Background {
  deps: BotDeps;
}

/**
 * What the tests that drive the bot's routes (test/bot) replace in the
 * production wiring: the effects of the use cases (sending, scheduling)
 * with recorders, and Teams' roster.
 */
export interface ServiceReplacements {
  goalEffects?: GoalDialogueEffects & GoalChainEffects & DialogueDelivery & GoalDialogueLifecycleEffects;
  groupEffects?: LearningGroupEffects;
  roster?: Roster;
}

/**
 * The organisation, the services and the background workers (outbox sender, scheduler), built once;
 * the one wiring of production and of the bot's tests. Nothing runs until start() starts it.
 */
export async function buildServices(config: Config, stores: Stores, logger: Logger, now: Clock, replace: ServiceReplacements = {}): Promise<Services> {
  const { connectorTokenProvider, teamsRoster, GoalDialogueDelivery, LearningGroupDelivery, FollowUpDelivery, NudgeDelivery } = await loadModules();
  const organisation = loadOrganisation(config.organisationFile);
  // The organisation file's goals are the first version of each school's goals; edits in Teams are kept.
  await stores.schoolGoals.seed(goalsFromOrganisation(organisation, now()));
  await stores.schoolFocus.seed(focusFromOrganisation(organisation, now()));
  // Stable across restarts, new per process: a restart takes back its own leases and claims at once (instanceId.ts).
  const instanceId = processOwnerId(config.instanceId ?? hostname());
  const connector = createHttpConnector({ tokenProvider: connectorTokenProvider(config) });
  const proactive = createProactiveDelivery(
    {
      repository: stores.outbox,
      leases: stores.tenantLeases,
      connector,
      conversations: stores.conversations,
      logger: logger.child({ component: 'outbox' }),
      now,
      instanceId,
      // A 403 or 404 from a conversation: the reference is kept, marked inactive.
      onConversationUnreachable: (event) => stores.conversations.markInactive(event.tenantId, event.conversationId, now()),
    },
    { tenantRequestsPerSecond: config.proactive.tenantRequestsPerSecond, maxRetries: config.proactive.maxRetries },
  );
  const scheduler = createScheduler({
    repository: stores.schedule,
    instanceId,
    now,
    logger,
    pollIntervalMs: config.scheduler.pollIntervalMs,
    leaseMs: config.scheduler.leaseMs,
    retry: { maxAttempts: config.scheduler.maxAttempts },
  });
  await planActivitySweep(scheduler, stores.processedActivities, now, logger.child({ component: 'activity-sweep' }));
  const goalDelivery = new GoalDialogueDelivery({
    dialogues: stores.goalDialogues,
    outbox: stores.outbox,
    proactive,
    scheduler,
    connector,
    organisation,
    languages: stores.languages,
    defaultLocale: config.defaultLocale,
    timeZone: config.timeZone,
    now,
    logger,
    options: { invitationsPerSecond: config.proactive.tenantRequestsPerSecond },
  });
  goalDelivery.register();
  const goalEffects = replace.goalEffects ?? goalDelivery;
  const clock: SchoolClock = { now, timeZone: config.timeZone, quietHours: config.quietHours };
  const schoolFocus = new SchoolFocusService(organisation, stores.schoolFocus, stores.schoolGoals, now);
  const chain = new GoalChainService(organisation, stores.goalDialogues, stores.schoolGoals, goalEffects, now, schoolFocus);
  const goals = new GoalDialogueService(organisation, stores.goalDialogues, stores.schoolGoals, goalEffects, clock, chain, schoolFocus);
  const groupDelivery = new LearningGroupDelivery({
    groups: stores.learningGroups,
    clock,
    proactive,
    scheduler,
    connector,
    goalChoices: async (tenantId, aadObjectId) => (await goals.confirmedGoals(tenantId, aadObjectId)).map((goal) => ({ title: goal.text, value: goal.id })),
    languages: stores.languages,
    logger,
    beforeSummaryLeadHours: organisation.file.learningGroups.beforeSummaryLeadHours,
  });
  groupDelivery.register();
  const followUpDelivery = new FollowUpDelivery({
    rounds: stores.followUps,
    dialogues: stores.goalDialogues,
    outbox: stores.outbox,
    proactive,
    scheduler,
    connector,
    organisation,
    languages: stores.languages,
    defaultLocale: config.defaultLocale,
    clock,
    logger,
  });
  const followUps = new FollowUpService(organisation, stores.followUps, stores.goalDialogues, followUpDelivery, clock, stores.learningGroups);
  const indicators = new IndicatorService(organisation, stores.indicators, stores.schoolGoals, clock);
  const resultDialogues = new ResultDialogueService(organisation, stores.resultAnswers, stores.followUps, followUps, indicators, followUpDelivery, clock);
  followUpDelivery.register({
    open: (tenantId, roundId) => followUps.openRound(tenantId, roundId),
    close: (tenantId, roundId) => followUps.closeRound(tenantId, roundId),
    analysisOf: (tenantId, roundId) => followUps.analysisOf(tenantId, roundId),
    resultDialogue: resultDialogues,
  });
  const groups = new LearningGroupService(organisation, stores.learningGroups, replace.groupEffects ?? groupDelivery, clock, defaultCheckInQuestions);
  const nudgeDelivery = new NudgeDelivery({
    nudges: stores.nudges,
    dialogues: stores.goalDialogues,
    groups: stores.learningGroups,
    languages: stores.languages,
    proactive,
    scheduler,
    clock,
    holidays: organisation.holidays(),
    logger,
  });
  nudgeDelivery.register();
  const nudges = new NudgeService(
    organisation,
    stores.nudges,
    stores.goalDialogues,
    stores.learningGroups,
    stores.schoolGoals,
    schoolFocus,
    nudgeDelivery,
    clock,
  );
  const deps: BotDeps = {
    conversations: stores.conversations,
    processedActivities: stores.processedActivities,
    logger: logger.child({ component: 'bot' }),
    defaultLocale: config.defaultLocale,
    allowedTenants: config.allowedTenants,
    now,
    timeZone: config.timeZone,
    organisation,
    goals,
    chain,
    dialogueManagement: new GoalDialogueManagement(organisation, goals, stores.goalDialogues, goalEffects, clock),
    schoolGoals: new SchoolGoalService(organisation, stores.schoolGoals, now),
    schoolFocus,
    delivery: goalEffects,
    roster: replace.roster ?? teamsRoster,
    groups,
    languages: stores.languages,
    goalMap: new GoalMapService(organisation, stores.goalDialogues, stores.schoolGoals, stores.learningGroups, clock),
    goalYears: new GoalDialogueYears(organisation, stores.goalDialogues, clock),
    followUps,
    followUpRecord: new FollowUpRecord(organisation, stores.followUps, followUps, clock),
    followUpRounds: new FollowUpRounds(organisation, stores.followUps, followUps, followUpDelivery, clock),
    nudges,
    quietHours: config.quietHours,
    indicators,
    resultDialogues,
  };
  return { deps, proactive, scheduler };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Målbild cannot start. ${error.message}\nSee .env.sample and the README.\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  void main();
}
