import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import type { Stored } from '../domain/optimistic';
import { type Answer, answerSchema, type CheckIn, checkInSchema, GROUP_KINDS, type Group, groupSchema } from '../domain/learningGroup';
import type { CheckInSummary, GroupAcrossSchools, GroupSummary, LearningGroupRepository, Reflection } from '../domain/learningGroupRepository';
import type { DocumentStore } from './documentStore';
import { escapeKey } from './tableKeys';
import { EntityTable, withoutSystemFields } from './tables';

const groupSummarySchema = z.object({ groupId: z.string(), name: z.string(), createdAt: z.string() });
const acrossSchoolsSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  kind: z.enum(GROUP_KINDS),
  areaId: z.string().optional(),
  members: z.number().int(),
  schoolYearId: z.string().optional(),
  createdAt: z.string(),
});
const checkInSummarySchema = z.object({
  checkInId: z.string(),
  meetingId: z.string(),
  phase: z.enum(['before', 'after']),
  status: z.enum(['open', 'closed']),
  postedAt: z.string(),
});
/**
 * An answer row: the values as JSON in one property (at most five answers
 * of 2,000 characters); the goals it names comma-separated in `goalIds`
 * (absent when none, so that a query for reflections passes it by); the
 * activities that saved it as JSON in `activities`.
 */
const answerRowSchema = z.object({
  aadObjectId: z.string(),
  name: z.string(),
  values: z.string(),
  answeredAt: z.string(),
  updatedAt: z.string(),
  via: z.enum(['group', 'personal']),
  goalIds: z.string().optional(),
  activities: z.string().optional(),
});

const reflectionRowSchema = z.object({ aadObjectId: z.string(), goalIds: z.string() });

const key = {
  group: (tenantId: string, groupId: string) => `group/${tenantId}/${groupId}`,
  checkIn: (tenantId: string, checkInId: string) => `checkin/${tenantId}/${checkInId}`,
};

/**
 * Groups and check-ins are documents (members, dates and questions); the
 * index table lists a conversation's groups, the tenant's groups across
 * schools (`acrossSchools|<tenant>`) and a group's check-ins; each
 * answer is a row of its own (partition = the check-in), so that thirty
 * members answering at once write thirty rows and never wait for each other.
 */
export class LearningGroupTable implements LearningGroupRepository {
  private readonly groupIndex: EntityTable<typeof groupSummarySchema>;
  private readonly acrossSchoolsIndex: EntityTable<typeof acrossSchoolsSchema>;
  private readonly checkInIndex: EntityTable<typeof checkInSummarySchema>;
  private readonly answerRows: EntityTable<typeof answerRowSchema>;

  constructor(
    private readonly documents: DocumentStore,
    index: TableClient,
    answers: TableClient,
  ) {
    this.groupIndex = new EntityTable(index, groupSummarySchema);
    this.acrossSchoolsIndex = new EntityTable(index, acrossSchoolsSchema);
    this.checkInIndex = new EntityTable(index, checkInSummarySchema);
    this.answerRows = new EntityTable(answers, answerRowSchema);
  }

  async createGroup(group: Group): Promise<void> {
    await this.documents.create(key.group(group.tenantId, group.id), group);
    await this.indexGroup(group);
  }

  private async indexGroup(group: Group): Promise<void> {
    await this.groupIndex.upsert(`conversation|${group.tenantId}|${group.conversation.conversationId}`, group.id, {
      groupId: group.id,
      name: group.name,
      createdAt: group.createdAt,
    });
    // The organisation's groups across schools, one row each (for the goal map): a save updates its area and member count.
    if (group.crossSchool) {
      await this.acrossSchoolsIndex.upsert(`acrossSchools|${group.tenantId}`, group.id, {
        groupId: group.id,
        name: group.name,
        kind: group.kind,
        ...(group.crossSchool.area ? { areaId: group.crossSchool.area.id } : {}),
        members: group.members.length,
        ...(group.schoolYearId ? { schoolYearId: group.schoolYearId } : {}),
        createdAt: group.createdAt,
      });
    }
  }

  async getGroup(tenantId: string, groupId: string): Promise<Stored<Group> | undefined> {
    return this.documents.get(groupSchema, key.group(tenantId, groupId));
  }

  async saveGroup(group: Group, eTag: string): Promise<void> {
    await this.documents.put(key.group(group.tenantId, group.id), group, eTag);
    await this.indexGroup(group);
  }

  async groupsInConversation(tenantId: string, conversationId: string): Promise<GroupSummary[]> {
    const rows = await this.groupIndex.listPartition(`conversation|${tenantId}|${conversationId}`);
    return rows.map((row) => row.value).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async groupsAcrossSchools(tenantId: string): Promise<GroupAcrossSchools[]> {
    const rows = await this.acrossSchoolsIndex.listPartition(`acrossSchools|${tenantId}`);
    return rows.map((row) => row.value).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async createCheckIn(checkIn: CheckIn): Promise<boolean> {
    try {
      await this.documents.create(key.checkIn(checkIn.tenantId, checkIn.id), checkIn);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) return false;
      throw error;
    }
    await this.indexCheckIn(checkIn);
    return true;
  }

  private async indexCheckIn(checkIn: CheckIn): Promise<void> {
    await this.checkInIndex.upsert(`checkins|${checkIn.tenantId}|${checkIn.groupId}`, checkIn.id, {
      checkInId: checkIn.id,
      meetingId: checkIn.meetingId,
      phase: checkIn.phase,
      status: checkIn.status,
      postedAt: checkIn.postedAt,
    });
  }

  async getCheckIn(tenantId: string, checkInId: string): Promise<Stored<CheckIn> | undefined> {
    return this.documents.get(checkInSchema, key.checkIn(tenantId, checkInId));
  }

  async saveCheckIn(checkIn: CheckIn, eTag: string): Promise<void> {
    await this.documents.put(key.checkIn(checkIn.tenantId, checkIn.id), checkIn, eTag);
    await this.indexCheckIn(checkIn);
  }

  async checkInsOfGroup(tenantId: string, groupId: string): Promise<CheckInSummary[]> {
    const rows = await this.checkInIndex.listPartition(`checkins|${tenantId}|${groupId}`);
    return rows.map((row) => row.value).sort((a, b) => a.postedAt.localeCompare(b.postedAt));
  }

  async saveAnswer(tenantId: string, answer: Answer, eTag: string | undefined): Promise<void> {
    const partition = `${tenantId}|${answer.checkInId}`;
    const row = {
      aadObjectId: answer.aadObjectId,
      name: answer.name,
      values: JSON.stringify(answer.values),
      answeredAt: answer.answeredAt,
      updatedAt: answer.updatedAt,
      via: answer.via,
      ...(answer.goalIds?.length ? { goalIds: answer.goalIds.join(',') } : {}),
      ...(answer.handledActivities?.length ? { activities: JSON.stringify(answer.handledActivities) } : {}),
    };
    if (eTag) {
      await this.answerRows.replace(partition, answer.aadObjectId, row, eTag);
      return;
    }
    try {
      await this.answerRows.insert(partition, answer.aadObjectId, row);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) throw new AppError('STALE', 'an answer was given meanwhile');
      throw error;
    }
  }

  async getAnswer(tenantId: string, checkInId: string, aadObjectId: string): Promise<Answer | undefined> {
    const row = await this.answerRows.get(`${tenantId}|${checkInId}`, aadObjectId);
    return row ? toAnswer(checkInId, row.value) : undefined;
  }

  async answers(tenantId: string, checkInId: string): Promise<Answer[]> {
    return (await this.storedAnswers(tenantId, checkInId)).map((stored) => stored.value);
  }

  async storedAnswers(tenantId: string, checkInId: string): Promise<Stored<Answer>[]> {
    const rows = await this.answerRows.listPartition(`${tenantId}|${checkInId}`);
    return rows.map((row) => ({ value: toAnswer(checkInId, row.value), eTag: row.eTag }));
  }

  /**
   * One query over the tenant's answer partitions (`<tenant>|…`): only rows
   * with goals, changed since `since`, are sent back; the rows of other
   * check-ins' answers are passed by in the service.
   */
  async reflections(tenantId: string, since: string): Promise<Reflection[]> {
    const prefix = escapeKey(`${tenantId}|`);
    const after = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
    const filter = odata`PartitionKey ge ${prefix} and PartitionKey lt ${after} and goalIds gt '' and updatedAt ge ${since}`;
    const reflections: Reflection[] = [];
    const select = ['aadObjectId', 'goalIds'];
    for await (const entity of this.answerRows.client.listEntities<Record<string, unknown>>({ queryOptions: { filter, select } })) {
      const row = reflectionRowSchema.parse(withoutSystemFields(entity));
      reflections.push({ aadObjectId: row.aadObjectId, goalIds: row.goalIds.split(',') });
    }
    return reflections;
  }
}

function toAnswer(checkInId: string, row: z.infer<typeof answerRowSchema>): Answer {
  const { goalIds, activities, ...rest } = row;
  return answerSchema.parse({
    ...rest,
    checkInId,
    values: JSON.parse(rest.values) as unknown,
    ...(goalIds ? { goalIds: goalIds.split(',') } : {}),
    ...(activities ? { handledActivities: JSON.parse(activities) as unknown } : {}),
  });
}
