import { type TableClient } from '@azure/data-tables';
import type { ConversationRepository } from '../domain/conversations';
import type { ProcessedActivities } from '../domain/processedActivities';
import type { LanguagePreferenceRepository } from '../domain/languageChoice';
import type { GoalDialogueRepository } from '../domain/goalDialogueRepository';
import type { FollowUpRepository } from '../domain/followUpRepository';
import type { LearningGroupRepository } from '../domain/learningGroupRepository';
import type { NudgeRepository } from '../domain/nudges';
import type { SchoolGoalRepository } from '../domain/schoolGoals';
import type { SchoolFocusRepository } from '../domain/schoolFocus';
import type { IndicatorRepository } from '../domain/indicators';
import type { ResultAnswerRepository } from '../domain/resultDialogue';
import type { OutboxRepository, PersonalConversationStore, TenantLeaseRepository } from '../proactive/outboxRepository';
import type { ScheduleRepository } from '../scheduler/jobs';
import { ConversationTable } from './conversationTable';
import { DocumentStore } from './documentStore';
import { FollowUpTable } from './followUpTable';
import { GoalDialogueTable } from './goalDialogueTable';
import { LanguagePreferenceTable } from './languagePreferenceTable';
import { LearningGroupTable } from './learningGroupTable';
import { NudgeTable } from './nudgeTable';
import { OutboxTable } from './outboxTable';
import { ProcessedActivityTable } from './processedActivityTable';
import { ScheduleTable } from './scheduleTable';
import { SchoolGoalTable } from './schoolGoalTable';
import { SchoolFocusTable } from './schoolFocusTable';
import { IndicatorTable } from './indicatorTable';
import { ResultDialogueTable } from './resultDialogueTable';
import { TableTurnStateStorage } from './tableStorage';
import { ensureTable, tableClient, type TableSettings } from './tables';
import { TenantLeaseTable } from './tenantLeaseTable';

/**
 * Every table the bot uses, by the name that follows TABLE_PREFIX. There is
 * no turn-state table: the bot keeps its state in its own tables and runs
 * teams-ai without turn-state storage (src/bot/app.ts).
 */
const TABLES = {
  activities: 'activities',
  conversations: 'conversations',
  documents: 'documents',
  goalIndex: 'goalindex',
  schoolGoals: 'schoolgoals',
  schoolFocus: 'schoolfocus',
  outbox: 'outbox',
  schedule: 'schedule',
  groupIndex: 'groupindex',
  answers: 'answers',
  languages: 'languages',
  followUps: 'followups',
  followUpAnswers: 'followupanswers',
  schoolAnalyses: 'schoolanalyses',
  nudges: 'nudges',
  indicators: 'indicators',
  resultAnswers: 'resultanswers',
} as const;

export interface Stores {
  /** Conversation references; also how the proactive sender finds a person's 1:1 chat. */
  conversations: ConversationRepository & PersonalConversationStore;
  /** The activities processed lately, so that a redelivered activity takes effect once. */
  processedActivities: ProcessedActivities;
  goalDialogues: GoalDialogueRepository;
  schoolGoals: SchoolGoalRepository;
  /** Each school's fokusområde and processkarta, versioned. */
  schoolFocus: SchoolFocusRepository;
  /** Proactive messages, a row per recipient, before anything is sent. */
  outbox: OutboxRepository;
  /** Which instance sends for a tenant (rows in the outbox table). */
  tenantLeases: TenantLeaseRepository;
  /** Due jobs (reminders, status updates, check-ins). */
  schedule: ScheduleRepository;
  learningGroups: LearningGroupRepository;
  /** The language each person chose (`språk`), remembered in memory per instance. */
  languages: LanguagePreferenceRepository;
  /** Follow-up rounds, their answers and the schools' analyses. */
  followUps: FollowUpRepository;
  /** Puffar: one row per nudge (its schedule, status and next sending). */
  nudges: NudgeRepository;
  /** Indicators added in Teams and every indicator's measurements, versioned. */
  indicators: IndicatorRepository;
  /** The schools' answers per indicator in a resultatdialog. */
  resultAnswers: ResultAnswerRepository;
  /** Resolves when the storage account answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
}

/** Opens the storage account and creates the tables once, at start: the one place the bot's tables are created. */
export async function openStores(settings: TableSettings): Promise<Stores> {
  const clients: Record<keyof typeof TABLES, TableClient> = {
    activities: tableClient(settings, TABLES.activities),
    conversations: tableClient(settings, TABLES.conversations),
    documents: tableClient(settings, TABLES.documents),
    goalIndex: tableClient(settings, TABLES.goalIndex),
    schoolGoals: tableClient(settings, TABLES.schoolGoals),
    schoolFocus: tableClient(settings, TABLES.schoolFocus),
    outbox: tableClient(settings, TABLES.outbox),
    schedule: tableClient(settings, TABLES.schedule),
    groupIndex: tableClient(settings, TABLES.groupIndex),
    answers: tableClient(settings, TABLES.answers),
    languages: tableClient(settings, TABLES.languages),
    followUps: tableClient(settings, TABLES.followUps),
    followUpAnswers: tableClient(settings, TABLES.followUpAnswers),
    schoolAnalyses: tableClient(settings, TABLES.schoolAnalyses),
    nudges: tableClient(settings, TABLES.nudges),
    indicators: tableClient(settings, TABLES.indicators),
    resultAnswers: tableClient(settings, TABLES.resultAnswers),
  };
  await Promise.all(Object.values(clients).map(ensureTable));
  const documents = new DocumentStore(new TableTurnStateStorage(clients.documents));
  return {
    conversations: new ConversationTable(clients.conversations),
    processedActivities: new ProcessedActivityTable(clients.activities),
    goalDialogues: new GoalDialogueTable(documents, clients.goalIndex),
    schoolGoals: new SchoolGoalTable(clients.schoolGoals),
    schoolFocus: new SchoolFocusTable(clients.schoolFocus),
    outbox: new OutboxTable(clients.outbox),
    tenantLeases: new TenantLeaseTable(clients.outbox),
    schedule: new ScheduleTable(clients.schedule),
    learningGroups: new LearningGroupTable(documents, clients.groupIndex, clients.answers),
    languages: new LanguagePreferenceTable(clients.languages),
    followUps: new FollowUpTable(documents, {
      followUps: clients.followUps,
      answers: clients.followUpAnswers,
      analyses: clients.schoolAnalyses,
    }),
    nudges: new NudgeTable(clients.nudges),
    indicators: new IndicatorTable(clients.indicators),
    resultAnswers: new ResultDialogueTable(clients.resultAnswers),
    ping: (timeoutMs = 2000) => ping(clients.conversations, timeoutMs),
  };
}

async function ping(client: TableClient, timeoutMs: number): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const pages = client.listEntities({ queryOptions: { filter: "PartitionKey eq '~health'" }, abortSignal: abort.signal }).byPage({ maxPageSize: 1 });
    await pages.next();
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
