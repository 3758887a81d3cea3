import { type Activity, type ResourceResponse, TestAdapter, type TurnContext } from 'botbuilder';
import { join } from 'node:path';
import { createBotApp } from '../../src/bot/app';
import { turnErrorHandler } from '../../src/bot/adapter';
import type { BotDeps } from '../../src/bot/deps';
import { type Dialogue, newParticipation, type Participation } from '../../src/domain/goalDialogue';
import type { GoalDialogueRepository } from '../../src/domain/goalDialogueRepository';
import type { GoalChainEffects } from '../../src/domain/goalChain';
import type { GoalDialogueLifecycleEffects } from '../../src/domain/goalDialogueManagement';
import type { DialogueDelivery, GoalDialogueEffects, Member } from '../../src/domain/goalDialogueService';
import type { CheckIn, Group } from '../../src/domain/learningGroup';
import type { LearningGroupEffects } from '../../src/domain/learningGroupService';
import { buildServices } from '../../src/index';
import { openStores, type Stores } from '../../src/storage';
import type { TableRequest } from '../../src/storage/tables';
import { uniqueTablePrefix } from './azurite';
import { capturingLogger, testConfig } from './bot';

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
 * What the goal dialogue asked the delivery side to do, for assertions;
 * nobody is unreachable. A started dialogue gets its participations at once,
 * as the start job would give them in the background (no invitations are sent).
 */
export class RecordedEffects implements GoalDialogueEffects, GoalChainEffects, DialogueDelivery, GoalDialogueLifecycleEffects {
  readonly started: Dialogue[] = [];
  readonly progress: Dialogue[] = [];
  readonly confirmed: Participation[] = [];
  readonly adopted: { dialogueId: string; principalAad: string; schoolIds: string[]; key: string }[] = [];
  /** Closings and reopenings, with the teachers told (by Entra id), and the principal's reminders. */
  readonly closed: { dialogue: Dialogue; told: string[] }[] = [];
  readonly reopened: { dialogue: Dialogue; told: string[] }[] = [];
  readonly reminded: { dialogueId: string; teacher: string; day: string }[] = [];
  constructor(private readonly dialogues: GoalDialogueRepository) {}
  async dialogueStarted(dialogue: Dialogue): Promise<void> {
    this.started.push(dialogue);
    const createdAt = new Date(dialogue.createdAt);
    await this.dialogues.addParticipations(
      dialogue,
      dialogue.participants.map((person) => newParticipation(dialogue.id, person, createdAt)),
    );
  }
  async progressChanged(dialogue: Dialogue): Promise<void> {
    this.progress.push(dialogue);
  }
  async goalsConfirmed(_dialogue: Dialogue, participation: Participation): Promise<void> {
    this.confirmed.push(participation);
  }
  async schoolGoalsAdopted(dialogue: Dialogue, principalAad: string, schoolIds: string[], key: string): Promise<void> {
    this.adopted.push({ dialogueId: dialogue.id, principalAad, schoolIds, key });
  }
  async unreachable(): Promise<Map<string, string>> {
    return new Map();
  }
  async dialogueClosed(dialogue: Dialogue, unfinished: Participation[]): Promise<void> {
    this.closed.push({ dialogue, told: unfinished.map((p) => p.aadObjectId) });
  }
  async dialogueReopened(dialogue: Dialogue, unfinished: Participation[]): Promise<void> {
    this.reopened.push({ dialogue, told: unfinished.map((p) => p.aadObjectId) });
  }
  async reminderRequested(dialogue: Dialogue, participation: Participation, day: string): Promise<void> {
    this.reminded.push({ dialogueId: dialogue.id, teacher: participation.aadObjectId, day });
  }
}

export interface HarnessOptions {
  /** The team's roster as Teams would list it. */
  members?: Member[];
  /** Where the clock stands (default: now). */
  clock?: () => Date;
  /** ALLOWED_TENANTS (default: any tenant). */
  allowedTenants?: string[];
  /** The tables' prefix: another harness's makes a second instance of the bot on the same storage (default: tables of its own). */
  tablePrefix?: string;
}

export interface ConversationHarness {
  stores: Stores;
  deps: BotDeps;
  effects: RecordedEffects;
  groupEffects: RecordedGroupEffects;
  /** Activities the bot replaced (card updates), in order. */
  updates: Partial<Activity>[];
  logLines: Record<string, unknown>[];
  /**
   * Runs one Teams-shaped activity (wire JSON, as Teams posts it) through app.run and returns what the bot sent
   * in that turn (turns may run at once: each gets its own replies).
   */
  send(activity: object): Promise<Partial<Activity>[]>;
  /** The requests to Table Storage while `work` runs, by table (a turn's own requests when the turn is all that runs). */
  tableRequests(work: () => Promise<unknown>): Promise<TableRequest[]>;
}

/**
 * Drives the real Teams application through botbuilder's TestAdapter with
 * channelId 'msteams', on real Table Storage (the test Azurite). The services
 * are wired as in production (buildServices in src/index.ts) on the demo
 * school; only the effects (recorded, not sent), Teams' roster and the
 * clock are the test's.
 */
export async function conversationHarness(options: HarnessOptions = {}): Promise<ConversationHarness> {
  const { members = [], clock = () => new Date(), allowedTenants = [], tablePrefix = uniqueTablePrefix('c') } = options;
  const config = testConfig({ TABLE_PREFIX: tablePrefix, ORGANISATION_FILE: DEMO_ORGANISATION, ALLOWED_TENANTS: allowedTenants.join(',') });
  let requests: TableRequest[] | undefined;
  const stores = await openStores({
    connectionString: config.storage.connectionString!,
    tablePrefix: config.storage.tablePrefix,
    onRequest: (request) => requests?.push(request),
  });
  const { logger, lines } = capturingLogger('debug');
  const effects = new RecordedEffects(stores.goalDialogues);
  const groupEffects = new RecordedGroupEffects();
  const { deps } = await buildServices(config, stores, logger, clock, {
    goalEffects: effects,
    groupEffects,
    roster: { members: async () => members, upnOf: async () => undefined },
  });
  const app = createBotApp(deps);
  const updates: Partial<Activity>[] = [];
  const sent = new Map<string, Partial<Activity>[]>();
  const adapter = new (class extends TestAdapter {
    override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<void> {
      updates.push(activity);
      await super.updateActivity(context, activity);
    }
    override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
      const id = context.activity.id ?? '';
      sent.set(id, [...(sent.get(id) ?? []), ...activities]);
      return super.sendActivities(context, activities);
    }
  })(
    async (context: TurnContext) => {
      await app.run(context);
    },
    { channelId: 'msteams' },
  );
  adapter.onTurnError = turnErrorHandler(logger, deps.defaultLocale);
  return {
    stores,
    deps,
    effects,
    groupEffects,
    updates,
    logLines: lines,
    async send(activity) {
      const id = (activity as { id?: string }).id ?? '';
      sent.delete(id);
      await adapter.processActivity(activity);
      adapter.activeQueue.splice(0);
      const replies = sent.get(id) ?? [];
      sent.delete(id);
      return replies;
    },
    async tableRequests(work) {
      requests = [];
      try {
        await work();
        return requests;
      } finally {
        requests = undefined;
      }
    },
  };
}
