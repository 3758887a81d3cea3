import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import type { SchoolGoal, SchoolGoalRepository } from '../domain/schoolGoals';
import { EntityTable } from './tables';

const rowSchema = z.object({
  schoolId: z.string(),
  id: z.string(),
  title: z.string(),
  serves: z.string(),
  /** JSON of what links the goal further up the chain: HOWs, development areas, the målsamtal it came from. */
  links: z.string().optional(),
  status: z.enum(['active', 'retired']),
  position: z.number().int().default(0),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
type Row = z.infer<typeof rowSchema>;

const linksSchema = z.object({
  hows: z.array(z.string()).optional(),
  areas: z.array(z.string()).optional(),
  origin: z.object({ dialogueId: z.string(), aadObjectId: z.string(), goalIndex: z.number().int().min(0) }).optional(),
});

function toRow({ hows, areas, origin, ...goal }: SchoolGoal): Row {
  const links = { ...(hows ? { hows } : {}), ...(areas ? { areas } : {}), ...(origin ? { origin } : {}) };
  return { ...goal, serves: JSON.stringify(goal.serves), ...(Object.keys(links).length > 0 ? { links: JSON.stringify(links) } : {}) };
}

function fromRow({ links, ...row }: Row): SchoolGoal {
  return { ...row, serves: z.array(z.string()).parse(JSON.parse(row.serves)), ...(links ? linksSchema.parse(JSON.parse(links)) : {}) };
}

const versionKey = (goalId: string, version: number) => `${goalId}|${String(version).padStart(6, '0')}`;

/** Current goals: partition "current|school", row = goal id. History: "history|school", row = goal id + version. */
export class SchoolGoalTable implements SchoolGoalRepository {
  private readonly rows: EntityTable<typeof rowSchema>;

  constructor(client: TableClient) {
    this.rows = new EntityTable(client, rowSchema);
  }

  async list(schoolId: string): Promise<SchoolGoal[]> {
    const rows = await this.rows.listPartition(`current|${schoolId}`);
    return rows.map((row) => fromRow(row.value)).sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  }

  async saveVersion(goal: SchoolGoal, expectedVersion: number): Promise<void> {
    const current = await this.rows.get(`current|${goal.schoolId}`, goal.id);
    if ((current?.value.version ?? 0) !== expectedVersion) throw new AppError('STALE', 'The goal changed since it was read');
    // History first: a crash between the two leaves a history row ahead of the current one, never a lost version.
    await this.rows.upsert(`history|${goal.schoolId}`, versionKey(goal.id, goal.version), toRow(goal));
    if (current) await this.rows.replace(`current|${goal.schoolId}`, goal.id, toRow(goal), current.eTag);
    else await this.rows.insert(`current|${goal.schoolId}`, goal.id, toRow(goal));
  }

  async history(schoolId: string, goalId: string): Promise<SchoolGoal[]> {
    const rows = await this.rows.listPartition(`history|${schoolId}`);
    return rows
      .map((row) => fromRow(row.value))
      .filter((goal) => goal.id === goalId)
      .sort((a, b) => a.version - b.version);
  }

  async seed(goals: SchoolGoal[]): Promise<void> {
    for (const goal of goals) {
      try {
        await this.rows.insert(`current|${goal.schoolId}`, goal.id, toRow(goal));
        await this.rows.upsert(`history|${goal.schoolId}`, versionKey(goal.id, goal.version), toRow(goal));
      } catch (error) {
        if (!isAppError(error, 'CONFLICT')) throw error;
      }
    }
  }
}
