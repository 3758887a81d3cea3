import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isPreviousLife } from '../instanceId';
import type { TenantLease, TenantLeaseRepository } from '../proactive/outboxRepository';
import { escapeKey } from './tableKeys';
import { isStale, restStatus, withoutSystemFields } from './tables';

/**
 * The tenants' sending leases: one row per tenant in the `lease` partition
 * of the outbox table (see outboxTable.ts), whichever instance holds it. A
 * lease given up keeps its row, with no owner and the moment it ended, so
 * that the next holder knows how recently requests went out.
 *
 * A lease held by a previous life of the taking instance (instanceId.ts:
 * same instance, another boot) is free at once: that process is dead, and
 * the restarted one sends for the tenant without waiting for the expiry.
 */
const LEASE = 'lease';

const leaseSchema = z.object({ tenantId: z.string(), owner: z.string(), expiresAt: z.string() });

export class TenantLeaseTable implements TenantLeaseRepository {
  /** `client`: the outbox table, whose `lease` partition holds the leases. */
  constructor(private readonly client: TableClient) {}

  async take(tenantId: string, owner: string, until: Date, now: Date): Promise<TenantLease | undefined> {
    const fields = { tenantId, owner, expiresAt: until.toISOString() };
    const entity = { partitionKey: LEASE, rowKey: escapeKey(tenantId), ...fields };
    let current: { lease: z.infer<typeof leaseSchema>; eTag: string } | undefined;
    try {
      const stored = await this.client.getEntity<Record<string, unknown>>(LEASE, escapeKey(tenantId));
      current = { lease: leaseSchema.parse(withoutSystemFields(stored)), eTag: stored.etag };
    } catch (error) {
      if (restStatus(error) !== 404) throw error;
    }
    try {
      if (!current) {
        const created = await this.client.createEntity(entity);
        return { ...fields, eTag: created.etag ?? '' };
      }
      const { lease } = current;
      const expired = Date.parse(lease.expiresAt) <= now.getTime();
      const previousLife = isPreviousLife(lease.owner, owner);
      if (lease.owner !== owner && lease.owner !== '' && !expired && !previousLife) return undefined;
      const replaced = await this.client.updateEntity(entity, 'Replace', { etag: current.eTag });
      if (lease.owner === owner) return { ...fields, eTag: replaced.etag ?? '' };
      // The previous holder may have sent until its lease ended; a previous life of this instance sent at the latest until now.
      const previousHolderUntil = previousLife && !expired ? now.toISOString() : lease.expiresAt;
      return { ...fields, eTag: replaced.etag ?? '', previousHolderUntil, ...(previousLife ? { previousLife } : {}) };
    } catch (error) {
      // Another sender took or renewed it between the read and the write.
      if (restStatus(error) === 409 || isStale(error)) return undefined;
      throw error;
    }
  }

  async release(lease: TenantLease, at: Date): Promise<void> {
    try {
      await this.client.updateEntity(
        { partitionKey: LEASE, rowKey: escapeKey(lease.tenantId), tenantId: lease.tenantId, owner: '', expiresAt: at.toISOString() },
        'Replace',
        { etag: lease.eTag },
      );
    } catch (error) {
      if (!isStale(error)) throw error;
    }
  }
}
