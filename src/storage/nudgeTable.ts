import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type Nudge, type NudgeRepository, nudgeSchema } from '../domain/nudges';
import type { Stored } from '../domain/optimistic';
import { EntityTable } from './tables';

/**
 * The `nudges` table: one row per puff, partition = tenant, row = the
 * nudge's id (`nudge-<form id>`, so a form submitted twice makes one row).
 * The nudge is one JSON property (its text is at most 500 characters, far
 * below a property's 32 K) beside the columns a reader of the table wants to
 * see; every change is one ETag-conditioned replace. A tenant has a few
 * hundred nudges at most over the years, so listing reads its partition.
 *
 * Why a table of its own and not rows in `schedule`: a nudge has a life the
 * scheduler's jobs do not (paused, resumed, stopped, sent so many times,
 * its next date), and the sending job must read it under an ETag to know
 * that it was not stopped a moment ago. The schedule holds only the next
 * sending, one job per date (`nudge-send|<nudge>|<date>`).
 */
const rowSchema = z.object({
  data: z.string(),
  status: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});

export class NudgeTable implements NudgeRepository {
  private readonly rows: EntityTable<typeof rowSchema>;

  constructor(client: TableClient) {
    this.rows = new EntityTable(client, rowSchema);
  }

  async create(nudge: Nudge): Promise<void> {
    await this.rows.insert(nudge.tenantId, nudge.id, toRow(nudge));
  }

  async get(tenantId: string, nudgeId: string): Promise<Stored<Nudge> | undefined> {
    const stored = await this.rows.get(tenantId, nudgeId);
    return stored ? { value: fromRow(stored.value), eTag: stored.eTag } : undefined;
  }

  async save(nudge: Nudge, eTag: string): Promise<void> {
    await this.rows.replace(nudge.tenantId, nudge.id, toRow(nudge), eTag);
  }

  async list(tenantId: string): Promise<Nudge[]> {
    const rows = await this.rows.listPartition(tenantId);
    return rows.map((row) => fromRow(row.value)).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }
}

function toRow(nudge: Nudge): z.infer<typeof rowSchema> {
  return { data: JSON.stringify(nudge), status: nudge.status, createdBy: nudge.createdBy.aadObjectId, updatedAt: nudge.updatedAt };
}

function fromRow(row: z.infer<typeof rowSchema>): Nudge {
  return nudgeSchema.parse(JSON.parse(row.data));
}
