import type { GoalDialogueRepository } from '../domain/goalDialogueRepository';
import type { LanguagePreferenceRepository } from '../domain/languageChoice';
import type { Organisation } from '../domain/organisation';
import type { Logger } from '../logger';
import type { ConnectorPort, OutboxRepository, ProactiveDelivery } from '../proactive';
import type { Scheduler } from '../scheduler';

/** What the goal dialogue's delivery (goalDialogues.ts) needs, and what it can be tuned with. */

export interface GoalDialogueDeliveryDeps {
  dialogues: GoalDialogueRepository;
  /** For who could not be reached (the invitation job's failed rows). */
  outbox: OutboxRepository;
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
  connector: ConnectorPort;
  organisation: Organisation;
  /** The languages people chose (`språk`): a person's invitation, reminder and digest are in theirs. */
  languages: Pick<LanguagePreferenceRepository, 'chosenLanguagesIn'>;
  defaultLocale: string;
  timeZone: string;
  now: () => Date;
  logger: Logger;
  options?: Partial<GoalDialogueDeliveryOptions>;
}

export interface GoalDialogueDeliveryOptions {
  /** Status card refreshes are gathered into windows of this length. */
  statusWindowMs: number;
  /** The principal hears of confirmations at most once per window of this length. */
  digestWindowMs: number;
  /** Local time of day reminders are sent. */
  reminderTime: string;
  /** A reminder more than this late (the bot was down) is skipped. */
  reminderTooLateMs: number;
  /**
   * The fastest the sender can send invitations: the tenant's requests a
   * second (one request each when the teacher's chat exists). The start
   * job paces its batches by it (startPacing).
   */
  invitationsPerSecond: number;
}

export const GOAL_DELIVERY_DEFAULTS: GoalDialogueDeliveryOptions = {
  statusWindowMs: 5_000,
  digestWindowMs: 10 * 60_000,
  reminderTime: '08:00',
  reminderTooLateMs: 12 * 3_600_000,
  // Teams' budget per app and tenant (SenderOptions.tenantRequestsPerSecond).
  invitationsPerSecond: 50,
};
