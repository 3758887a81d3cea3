import type { Config } from '../../src/config';
import type { Running } from '../../src/index';
import { openStores, type Stores } from '../../src/storage';
import type { Clock } from '../../src/time';
import { cardAction, channelMention, type Person, personalMessage, type TeamRef } from './activities';
import { capturingLogger, testConfig } from './bot';
import type { ConnectorCall, ConnectorRule, FakeConnector } from './connector';
import { type BotWithConnector, postActivity, startWithConnector } from './http';

/**
 * What end-to-end tests through /api/messages share: a clock the test
 * moves, the ways a person talks to the bot in Teams, and a bot in local
 * mode started once per describe block.
 */

/** A clock that starts at `startsAt` and runs on in real time; `setClock` moves it to another moment (ISO text or a Date). */
export function drivenClock(startsAt: string): { now: Clock; setClock: (at: string | Date) => void } {
  let offset = Date.parse(startsAt) - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    setClock: (at: string | Date) => {
      offset = (typeof at === 'string' ? Date.parse(at) : at.getTime()) - Date.now();
    },
  };
}

/**
 * What the bot sent, as text to look for words in: a call to the connector
 * (its body), a body or card as it is, or text already (an invoke's answer).
 */
export function text(call: ConnectorCall | Record<string, unknown> | string | undefined): string {
  if (typeof call === 'string') return call;
  if (call === undefined) return '';
  return JSON.stringify('body' in call ? call.body : call) ?? '';
}

/** How a person talks to the bot; each returns the body of the bot's 200 response. */
export interface FrontDoor {
  post: (activity: unknown) => Promise<string>;
  /** A message in the person's 1:1 chat with the bot. */
  say: (from: Person, words: string) => Promise<string>;
  /** A message @mentioning the bot in the team's channel. */
  inChannel: (team: TeamRef, from: Person, words: string) => Promise<string>;
  /** A card button pressed in the 1:1 chat or in a team's channel (the demo school's staff team unless `team` is given). */
  press: (from: Person, verb: string, data: Record<string, unknown>, where?: 'personal' | 'channel', team?: TeamRef) => Promise<string>;
  /** A button pressed on the card the bot sent as activity `replyToId` (so that the bot can update that card in place); otherwise as `press`. */
  pressOn: (replyToId: string, from: Person, verb: string, data: Record<string, unknown>, where?: 'personal' | 'channel', team?: TeamRef) => Promise<string>;
  /** A card button pressed in the 1:1 chat as the activity `id` (a click Teams delivers again has the same id). */
  pressAs: (id: string, from: Person, verb: string, data: Record<string, unknown>) => Promise<string>;
}

/** The front door of the bot that `bot()` returns when a test runs (it is started in beforeAll). */
export function frontDoor(bot: () => { running: Running; connector: FakeConnector }): FrontDoor {
  const post = (activity: unknown) => postActivity(bot().running, activity);
  const serviceUrl = () => bot().connector.url;
  return {
    post,
    say: (from, words) => post(personalMessage({ serviceUrl: serviceUrl(), from, text: words })),
    inChannel: (team, from, words) => post(channelMention({ serviceUrl: serviceUrl(), from, text: words, team })),
    press: (from, verb, data, where = 'personal', team) => post(cardAction({ serviceUrl: serviceUrl(), from, verb, where, data, ...(team ? { team } : {}) })),
    pressOn: (replyToId, from, verb, data, where = 'personal', team) =>
      post(cardAction({ serviceUrl: serviceUrl(), from, verb, where, replyToId, data, ...(team ? { team } : {}) })),
    pressAs: (id, from, verb, data) => post({ ...cardAction({ serviceUrl: serviceUrl(), from, verb, where: 'personal', data }), id }),
  };
}

/** A bot in local mode and its connector, shared by the tests of one describe block. */
export interface LocalBot {
  readonly connector: FakeConnector;
  readonly running: Running;
  /** What was logged at `logLevel` or above during the current test. */
  readonly lines: Record<string, unknown>[];
  /** Posts the activity (expecting 200) and returns what the bot sent in the turn, each as JSON text. */
  repliesTo: (activity: unknown) => Promise<string[]>;
}

/**
 * Starts a bot in local mode (testConfig) with its local connector before the
 * first test of the calling describe block and stops it after the last; each
 * test begins with no connector calls and no log lines recorded.
 */
export function localBotPerDescribe(options: { logLevel?: 'silent' | 'info' } = {}): LocalBot {
  const captured = capturingLogger(options.logLevel ?? 'silent');
  let bot: BotWithConnector | undefined;
  const started = (): BotWithConnector => {
    if (!bot) throw new Error('the bot is started in beforeAll');
    return bot;
  };

  beforeAll(async () => {
    bot = await startWithConnector(testConfig(), { logger: captured.logger });
  });

  afterAll(() => bot?.stop());

  beforeEach(() => {
    started().connector.calls.splice(0);
    captured.lines.splice(0);
  });

  return {
    get connector() {
      return started().connector;
    },
    get running() {
      return started().running;
    },
    lines: captured.lines,
    repliesTo: async (activity: unknown): Promise<string[]> => {
      await postActivity(started().running, activity);
      return started()
        .connector.sentActivities()
        .map((body) => JSON.stringify(body));
    },
  };
}

/** A bot with its own tables, shared by the tests of one describe block, and the ways people talk to it. */
export interface BotPerDescribe extends FrontDoor {
  readonly connector: FakeConnector;
  readonly running: Running;
  /** The bot's tables, to check rows in Azurite. */
  readonly stores: Stores;
  readonly config: Config;
}

export interface BotPerDescribeOptions {
  /** Settings over testConfig's, e.g. SCHEDULER_POLL_MS; a function is read in beforeAll (after the describe block's own earlier beforeAll). */
  env?: Record<string, string> | (() => Record<string, string>);
  /** The bot's clock, e.g. drivenClock's `now`; real time by default. */
  now?: Clock;
  /** How the local connector answers chosen calls (a team's roster, an activity id), before its defaults. */
  rules?: ConnectorRule[];
}

/**
 * Starts a bot in local mode on a config of its own (testConfig with `env`)
 * and `now`, with its local connector answering by `rules`, before the
 * first test of the calling describe block, opens its tables, and stops it
 * after the last. Unlike localBotPerDescribe, what the connector recorded
 * is kept from test to test: the tests of a block may tell one story.
 */
export function botPerDescribe(options: BotPerDescribeOptions = {}): BotPerDescribe {
  let started: { bot: BotWithConnector; stores: Stores; config: Config } | undefined;
  const at = () => {
    if (!started) throw new Error('the bot is started in beforeAll');
    return started;
  };

  beforeAll(async () => {
    const config = testConfig(typeof options.env === 'function' ? options.env() : options.env);
    const bot = await startWithConnector(config, { ...(options.now ? { now: options.now } : {}), rules: options.rules ?? [] });
    try {
      const stores = await openStores({ connectionString: config.storage.connectionString!, tablePrefix: config.storage.tablePrefix });
      started = { bot, stores, config };
    } catch (error) {
      await bot.stop();
      throw error;
    }
  });

  afterAll(() => started?.bot.stop());

  return {
    ...frontDoor(() => at().bot),
    get connector() {
      return at().bot.connector;
    },
    get running() {
      return at().bot.running;
    },
    get stores() {
      return at().stores;
    },
    get config() {
      return at().config;
    },
  };
}
