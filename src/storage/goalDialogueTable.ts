import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type Dialogue, dialogueSchema, goalDraftSchema, type Participation, participationSchema } from '../domain/goalDialogue';
import type { ActivePointerRow, DialogueSummary, GoalDialogueRepository, GoalsVersion, TalkNotes } from '../domain/goalDialogueRepository';
import type { Stored } from '../domain/optimistic';
import type { DocumentStore } from './documentStore';
import { EntityTable, isStale } from './tables';
import { escapeKey } from './tableKeys';
import { isAppError } from '../domain/errors';
import { mapBounded } from '../parallel';

/** Single-row writes at once when adding a batch of participations (each row is a partition of its own). */
const PARALLEL_WRITES = 16;

const summarySchema = z.object({
  dialogueId: z.string(),
  title: z.string(),
  status: z.enum(['open', 'closed']),
  deadline: z.string(),
  createdAt: z.string(),
  schoolYearId: z.string().optional(),
});
const activeSchema = z.object({ dialogueId: z.string() });
const versionSchema = z.object({ version: z.number(), confirmedAt: z.string(), late: z.boolean(), goals: z.array(goalDraftSchema) });
const notesSchema = z.object({ notes: z.string(), talkHeldOn: z.string().optional(), updatedAt: z.string() });

const key = {
  dialogue: (tenantId: string, dialogueId: string) => `dialogue/${tenantId}/${dialogueId}`,
  participation: (dialogueId: string, aad: string) => `participation/${dialogueId}/${aad}`,
  version: (dialogueId: string, aad: string, n: number) => `goals-version/${dialogueId}/${aad}/${n}`,
  notes: (dialogueId: string, aad: string) => `talk-notes/${dialogueId}/${aad}`,
};

/**
 * Dialogues, participations, versions and notes are documents (goals can be
 * long); the small index table answers "which dialogues has this school /
 * this teacher" and "where do this teacher's typed answers go".
 */
export class GoalDialogueTable implements GoalDialogueRepository {
  private readonly summaries: EntityTable<typeof summarySchema>;
  private readonly active: EntityTable<typeof activeSchema>;

  constructor(
    private readonly documents: DocumentStore,
    index: TableClient,
  ) {
    this.summaries = new EntityTable(index, summarySchema);
    this.active = new EntityTable(index, activeSchema);
  }

  async createDialogue(dialogue: Dialogue, participations: Participation[]): Promise<void> {
    await this.addParticipations(dialogue, participations);
    await this.documents.create(key.dialogue(dialogue.tenantId, dialogue.id), dialogue);
    await this.summaries.upsert(schoolPartition(dialogue), dialogue.id, summaryOf(dialogue));
  }

  async addParticipations(dialogue: Dialogue, participations: Participation[]): Promise<void> {
    // Every participation and teacher row is a partition of its own (documents are keyed one to a
    // partition), so there is no transaction to put them in: they go side by side instead.
    const summary = summaryOf(dialogue);
    await mapBounded(participations, PARALLEL_WRITES, async (participation) => {
      try {
        await this.documents.create(key.participation(dialogue.id, participation.aadObjectId), participation);
      } catch (error) {
        if (!isAppError(error, 'CONFLICT')) throw error;
      }
      await this.summaries.upsert(teacherPartition(dialogue.tenantId, participation.aadObjectId), dialogue.id, summary);
    });
  }

  /** Rewrites the index rows of the school and of every participant (a thousand for a large team) only when what they show changed. */
  private async reindexIfChanged(dialogue: Dialogue): Promise<void> {
    const summary = summaryOf(dialogue);
    const indexed = await this.summaries.get(schoolPartition(dialogue), dialogue.id);
    if (indexed && sameSummary(indexed.value, summary)) return;
    await this.summaries.upsert(schoolPartition(dialogue), dialogue.id, summary);
    await mapBounded(dialogue.participants, PARALLEL_WRITES, (person) =>
      this.summaries.upsert(teacherPartition(dialogue.tenantId, person.aadObjectId), dialogue.id, summary),
    );
  }

  async getDialogue(tenantId: string, dialogueId: string): Promise<Stored<Dialogue> | undefined> {
    return this.documents.get(dialogueSchema, key.dialogue(tenantId, dialogueId));
  }

  async saveDialogue(dialogue: Dialogue, eTag: string): Promise<void> {
    await this.documents.put(key.dialogue(dialogue.tenantId, dialogue.id), dialogue, eTag);
    await this.reindexIfChanged(dialogue);
  }

  async dialoguesOfSchool(tenantId: string, schoolId: string): Promise<DialogueSummary[]> {
    return newestFirst((await this.summaries.listPartition(`school|${tenantId}|${schoolId}`)).map((row) => row.value));
  }

  async dialoguesOfTeacher(tenantId: string, aadObjectId: string): Promise<DialogueSummary[]> {
    return newestFirst((await this.summaries.listPartition(teacherPartition(tenantId, aadObjectId))).map((row) => row.value));
  }

  async getParticipation(dialogueId: string, aadObjectId: string): Promise<Stored<Participation> | undefined> {
    return this.documents.get(participationSchema, key.participation(dialogueId, aadObjectId));
  }

  async saveParticipation(participation: Participation, eTag: string): Promise<string> {
    return this.documents.put(key.participation(participation.dialogueId, participation.aadObjectId), participation, eTag);
  }

  async participations(dialogue: Dialogue): Promise<Participation[]> {
    const keys = dialogue.participants.map((person) => key.participation(dialogue.id, person.aadObjectId));
    const found = await this.documents.getMany(participationSchema, keys);
    return keys.flatMap((k) => (found.has(k) ? [found.get(k)!.value] : []));
  }

  async saveVersion(dialogueId: string, aadObjectId: string, version: GoalsVersion): Promise<void> {
    await this.documents.put(key.version(dialogueId, aadObjectId, version.version), version);
  }

  async versions(dialogueId: string, aadObjectId: string, count: number): Promise<GoalsVersion[]> {
    const keys = Array.from({ length: count }, (_, i) => key.version(dialogueId, aadObjectId, i + 1));
    const found = await this.documents.getMany(versionSchema, keys);
    return keys.flatMap((k) => (found.has(k) ? [found.get(k)!.value] : []));
  }

  async getNotes(dialogueId: string, aadObjectId: string): Promise<TalkNotes | undefined> {
    return (await this.documents.get(notesSchema, key.notes(dialogueId, aadObjectId)))?.value;
  }

  async saveNotes(dialogueId: string, aadObjectId: string, notes: TalkNotes): Promise<void> {
    await this.documents.put(key.notes(dialogueId, aadObjectId), notes);
  }

  async activeDialogueOf(tenantId: string, aadObjectId: string): Promise<string | undefined> {
    return (await this.activePointerOf(tenantId, aadObjectId))?.dialogueId;
  }

  async activePointerOf(tenantId: string, aadObjectId: string): Promise<ActivePointerRow | undefined> {
    const row = await this.active.get(`active|${tenantId}`, aadObjectId);
    return row && { dialogueId: row.value.dialogueId, eTag: row.eTag };
  }

  async markActivePointers(tenantId: string, dialogueId: string): Promise<void> {
    // One query of the tenant's pointers (one per teacher writing now), then a conditioned rewrite of each that names the dialogue.
    const partition = escapeKey(`active|${tenantId}`).replace(/'/g, "''");
    const filter = `PartitionKey eq '${partition}' and dialogueId eq '${dialogueId.replace(/'/g, "''")}'`;
    const rows: { partitionKey: string; rowKey: string; etag: string }[] = [];
    for await (const entity of this.active.client.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      rows.push({ partitionKey: entity.partitionKey!, rowKey: entity.rowKey!, etag: entity.etag });
    }
    await mapBounded(rows, PARALLEL_WRITES, async ({ partitionKey, rowKey, etag }) => {
      try {
        await this.active.client.updateEntity({ partitionKey, rowKey, dialogueId }, 'Replace', { etag });
      } catch (error) {
        // Changed or removed meanwhile: its ETag is not the one read, which is all the mark is for.
        if (!isStale(error)) throw error;
      }
    });
  }

  async setActiveDialogue(tenantId: string, aadObjectId: string, dialogueId: string | undefined): Promise<void> {
    if (dialogueId) await this.active.upsert(`active|${tenantId}`, aadObjectId, { dialogueId });
    else await this.active.delete(`active|${tenantId}`, aadObjectId);
  }
}

function schoolPartition(dialogue: Dialogue): string {
  return `school|${dialogue.tenantId}|${dialogue.schoolId}`;
}

function teacherPartition(tenantId: string, aadObjectId: string): string {
  return `teacher|${tenantId}|${aadObjectId}`;
}

function summaryOf(dialogue: Dialogue): DialogueSummary {
  return {
    dialogueId: dialogue.id,
    title: dialogue.title,
    status: dialogue.status,
    deadline: dialogue.deadline,
    createdAt: dialogue.createdAt,
    ...(dialogue.schoolYearId ? { schoolYearId: dialogue.schoolYearId } : {}),
  };
}

function sameSummary(a: DialogueSummary, b: DialogueSummary): boolean {
  return a.dialogueId === b.dialogueId && a.title === b.title && a.status === b.status && a.deadline === b.deadline && a.createdAt === b.createdAt;
}

function newestFirst(summaries: DialogueSummary[]): DialogueSummary[] {
  return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
