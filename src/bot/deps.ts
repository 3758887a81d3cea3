import type { ConversationRepository } from '../domain/conversations';
import type { GoalChainService } from '../domain/goalChain';
import type { GoalDialogueManagement } from '../domain/goalDialogueManagement';
import type { LanguagePreferenceRepository } from '../domain/languageChoice';
import type { DialogueDelivery, GoalDialogueService } from '../domain/goalDialogueService';
import type { GoalMapService } from '../domain/goalMapService';
import type { GoalDialogueYears } from '../domain/goalDialogueYears';
import type { FollowUpService } from '../domain/followUpService';
import type { FollowUpRecord } from '../domain/followUpRecord';
import type { FollowUpRounds } from '../domain/followUpRounds';
import type { IndicatorService } from '../domain/indicatorService';
import type { Organisation } from '../domain/organisation';
import type { ResultDialogueService } from '../domain/resultDialogueService';
import type { ProcessedActivities } from '../domain/processedActivities';
import type { LearningGroupService } from '../domain/learningGroupService';
import type { NudgeService } from '../domain/nudgeService';
import type { SchoolGoalService } from '../domain/schoolGoals';
import type { SchoolFocusService } from '../domain/schoolFocus';
import type { Roster } from './roster';
import type { Logger } from '../logger';
import type { QuietHours } from '../time';

/** What the bot's handlers are given; built once in src/index.ts. */
export interface BotDeps {
  conversations: ConversationRepository;
  /** Which activities were processed already (a redelivery takes effect once). */
  processedActivities: ProcessedActivities;
  logger: Logger;
  defaultLocale: string;
  /** Lower-case tenant ids; empty means any tenant. */
  allowedTenants: readonly string[];
  now: () => Date;
  /** The schools' time zone (dates, deadlines). */
  timeZone: string;
  organisation: Organisation;
  goals: GoalDialogueService;
  /** The cascade: principals' goals becoming their schools' goals. */
  chain: GoalChainService;
  /** The principal's overview, closing, reopening and reminders. */
  dialogueManagement: GoalDialogueManagement;
  schoolGoals: SchoolGoalService;
  /** The schools' fokusområde and processkarta. */
  schoolFocus: SchoolFocusService;
  delivery: DialogueDelivery;
  roster: Roster;
  groups: LearningGroupService;
  /** The language each person chose (`språk`); read once per turn, mostly from memory. */
  languages: LanguagePreferenceRepository;
  goalMap: GoalMapService;
  /** Målsamtal by läsår: which läsår a person names, a teacher's goals of a läsår, last läsår's goals to start from. */
  goalYears: GoalDialogueYears;
  /** Follow-up rounds of målsamtal and their analysis. */
  followUps: FollowUpService;
  /** The school's written analysis per goal and the manager's rollup. */
  followUpRecord: FollowUpRecord;
  /** The owner's rounds: cancel a planned one, close a running one now. */
  followUpRounds: FollowUpRounds;
  /** Puffar: planned nudges, their list, pause, resume and stop. */
  nudges: NudgeService;
  /** When nothing unasked is sent (QUIET_HOURS): a nudge's time must lie outside it. */
  quietHours?: QuietHours;
  /** Indicators, their measurements and the results cards. */
  indicators: IndicatorService;
  /** Resultatdialog: the principals' answers per indicator and the manager's side-by-side view. */
  resultDialogues: ResultDialogueService;
}
