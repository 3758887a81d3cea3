import { type Activity, TestAdapter, type TurnContext } from 'botbuilder';
import { createBotApp } from '../../src/bot/app';
import { turnErrorHandler } from '../../src/bot/adapter';
import type { BotDeps } from '../../src/bot/deps';
import { join } from 'node:path';
import { type Dialogue, newParticipation, type Participation } from '../../src/domain/goalDialogue';
import type { GoalDialogueRepository } from '../../src/domain/goalDialogueRepository';
import { type GoalDialogueEffects, GoalDialogueService, type Member } from '../../src/domain/goalDialogueService';
import { goalsFromOrganisation, SchoolGoalService } from '../../src/domain/schoolGoals';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import type { CheckIn, Group } from '../../src/domain/learningGroup';
import { type LearningGroupEffects, LearningGroupService } from '../../src/domain/learningGroupService';
import { defaultCheckInQuestions } from '../../src/i18n';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from './azurite';
import { capturingLogger } from './bot';

export const DEMO_ORGANISATION = join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml');

/** What the learning groups asked the delivery side to do, for assertions. */
export class RecordedGroupEffects implements LearningGroupEffects {
  readonly saved: Group[] = [];
  readonly posted: CheckIn[] = [];
  readonly answersChangedFor: string[] = [];
  async groupSaved(group: Group): Promise<void> {
    this.saved.push(group);
  }
  async checkInPosted(_group: Group, checkIn: CheckIn): Promise<void> {
    this.posted.push(checkIn);
  }
  async answersChanged(checkIn: CheckIn): Promise<void> {
    this.answersChangedFor.push(checkIn.id);
  }
}

/**
 * What the goal dialogue asked the delivery side to do, for assertions. A
 * started dialogue gets its participations at once, as the start job
 * would give them in the background (no invitations are sent).
 */
export class RecordedEffects implements GoalDialogueEffects {
  readonly started: Dialogue[] = [];
  readonly progress: Dialogue[] = [];
  readonly confirmed: Participation[] = [];
  constructor(private readonly dialogues: GoalDialogueRepository) {}
  async dialogueStarted(dialogue: Dialogue): Promise<void> {
    this.started.push(dialogue);
    const createdAt = new Date(dialogue.createdAt);
    await this.dialogues.addParticipations(dialogue, dialogue.participants.map((person) => newParticipation(dialogue.id, person, createdAt)));
  }
  async progressChanged(dialogue: Dialogue): Promise<void> {
    this.progress.push(dialogue);
  }
  async goalsConfirmed(_dialogue: Dialogue, participation: Participation): Promise<void> {
    this.confirmed.push(participation);
  }
}

export interface HarnessOptions extends Partial<BotDeps> {
  /** The team's roster as Teams would list it. */
  members?: Member[];
  /** Where the clock stands (default: now). */
  clock?: () => Date;
}

export interface ConversationHarness {
  stores: Stores;
  deps: BotDeps;
  effects: RecordedEffects;
  groupEffects: RecordedGroupEffects;
  /** Activities the bot replaced (card updates), in order. */
  updates: Partial<Activity>[];
  logLines: Record<string, unknown>[];
  /** Runs one Teams-shaped activity (wire JSON, as Teams posts it) through app.run and returns what the bot sent. */
  send(activity: object): Promise<Partial<Activity>[]>;
}

/**
 * Drives the real Teams application through botbuilder's TestAdapter with
 * channelId 'msteams', on real Table Storage (the test Azurite).
 */
export async function conversationHarness(options: HarnessOptions = {}): Promise<ConversationHarness> {
  const { members = [], clock = () => new Date(), ...overrides } = options;
  const stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('c') });
  const { logger, lines } = capturingLogger('debug');
  const organisation = loadOrganisation(DEMO_ORGANISATION);
  await stores.schoolGoals.seed(goalsFromOrganisation(organisation, clock()));
  const effects = new RecordedEffects(stores.goalDialogues);
  const timeZone = 'Europe/Stockholm';
  const goals = new GoalDialogueService(organisation, stores.goalDialogues, stores.schoolGoals, effects, {
    now: clock,
    timeZone,
  });
  const groupEffects = new RecordedGroupEffects();
  const deps: BotDeps = {
    conversations: stores.conversations,
    logger,
    defaultLocale: 'sv-SE',
    allowedTenants: [],
    now: clock,
    timeZone,
    organisation,
    goals,
    schoolGoals: new SchoolGoalService(organisation, stores.schoolGoals, clock),
    delivery: { unreachable: async () => new Map() },
    roster: {
      members: async () => members,
      upnOf: async () => undefined,
    },
    groups: new LearningGroupService(organisation, stores.learningGroups, groupEffects, { now: clock, timeZone }, defaultCheckInQuestions),
    ...overrides,
  };
  const app = createBotApp(deps, { storage: stores.turnState });
  const updates: Partial<Activity>[] = [];
  const adapter = new (class extends TestAdapter {
    override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<void> {
      updates.push(activity);
      await super.updateActivity(context, activity);
    }
  })(async (context: TurnContext) => {
    await app.run(context);
  }, { channelId: 'msteams' });
  adapter.onTurnError = turnErrorHandler(logger, deps.defaultLocale);
  return {
    stores,
    deps,
    effects,
    groupEffects,
    updates,
    logLines: lines,
    async send(activity) {
      adapter.activeQueue.splice(0);
      await adapter.processActivity(activity as Partial<Activity>);
      return adapter.activeQueue.splice(0);
    },
  };
}

/** The Adaptive Card content of a sent activity, or undefined. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const attachment = activity?.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive'
    ? (attachment.content as Record<string, unknown>)
    : undefined;
}

/** All text shown on a card, for assertions. */
export function cardText(activity: Partial<Activity> | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(cardOf(activity));
  return texts.join('\n');
}
