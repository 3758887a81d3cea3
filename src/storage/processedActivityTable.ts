import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../domain/errors';
import { PROCESSED_ACTIVITY_TTL_MS, type ProcessedActivities } from '../domain/processedActivities';
import { EntityTable, restStatus } from './tables';

const claimSchema = z.object({ claimedAt: z.string(), expiresAt: z.string() });

/**
 * The activities this bot has processed: partition = the conversation id as
 * Teams sent it, row = the activity id (Teams' activity ids are unique within
 * a conversation). A claim is an insert, which Table Storage refuses with 409
 * when the row exists: of two instances given the same activity, exactly one
 * claims it. Rows carry their expiry; an expired row is taken over under its
 * ETag as if it were absent, and `sweep` deletes expired rows (a daily
 * scheduled job), so the table holds about one day of activities.
 */
export class ProcessedActivityTable implements ProcessedActivities {
  private readonly claims: EntityTable<typeof claimSchema>;

  constructor(private readonly client: TableClient) {
    this.claims = new EntityTable(client, claimSchema);
  }

  async claim(conversationId: string, activityId: string, at: Date): Promise<boolean> {
    const row = { claimedAt: at.toISOString(), expiresAt: new Date(at.getTime() + PROCESSED_ACTIVITY_TTL_MS).toISOString() };
    try {
      await this.claims.insert(conversationId, activityId, row);
      return true;
    } catch (error) {
      if (!isAppError(error, 'CONFLICT')) throw error;
    }
    // Claimed before: a redelivery, unless the claim expired (then the id is taken as new).
    const earlier = await this.claims.get(conversationId, activityId);
    if (!earlier) return this.claim(conversationId, activityId, at);
    if (earlier.value.expiresAt > row.claimedAt) return false;
    try {
      await this.claims.replace(conversationId, activityId, row, earlier.eTag);
      return true;
    } catch (error) {
      if (isAppError(error, 'STALE')) return false;
      throw error;
    }
  }

  async release(conversationId: string, activityId: string): Promise<void> {
    await this.claims.delete(conversationId, activityId);
  }

  async sweep(at: Date): Promise<number> {
    let deleted = 0;
    const filter = odata`expiresAt lt ${at.toISOString()}`;
    for await (const entity of this.client.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      try {
        await this.client.deleteEntity(entity.partitionKey!, entity.rowKey!);
        deleted++;
      } catch (error) {
        if (restStatus(error) !== 404) throw error;
      }
    }
    return deleted;
  }
}
