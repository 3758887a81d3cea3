import type { Running } from '../../src/index';
import type { Clock } from '../../src/time';
import { cardAction, channelMention, type Person, personalMessage, type TeamRef } from './activities';
import { capturingLogger, testConfig } from './bot';
import type { ConnectorCall, FakeConnector } from './connector';
import { type BotWithConnector, postActivity, startWithConnector } from './http';

/**
 * What end-to-end tests through /api/messages share: a clock the test
 * moves, the ways a person talks to the bot in Teams, and a bot in local
 * mode started once per describe block.
 */

/** A clock that starts at `startsAt` and runs on in real time; `setClock` moves it to another moment. */
export function drivenClock(startsAt: string): { now: Clock; setClock: (iso: string) => void } {
  let offset = Date.parse(startsAt) - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    setClock: (iso: string) => {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

/** A call to the connector as text, to look for words in what the bot sent. */
export function text(call: ConnectorCall | undefined): string {
  return JSON.stringify(call?.body) ?? '';
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
