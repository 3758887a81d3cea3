import type { Logger } from '../logger';
import type { TenantLease, TenantLeaseRepository } from './outboxRepository';
import type { RateGate } from './rateGate';
import type { SenderDeps } from './senderOptions';

/**
 * The tenant's budget is per app, shared by every instance, so one
 * instance at a time sends for a tenant: it holds the tenant's lease (an
 * ETag-conditioned row with an expiry, renewed while it has work). The
 * next holder starts once the previous holder's requests have left Teams'
 * window. Other tenants can be served by other instances meanwhile.
 */

/** A lease is renewed once less than this share of it is left: it never lapses between two looks at the tenant. */
const RENEW_WHEN_LEFT = 1 / 2;

export interface TenantLeasesDeps {
  repository: TenantLeaseRepository;
  gate: RateGate;
  log: Logger;
  now: SenderDeps['now'];
  instanceId: string;
  /** Off: every instance sends for every tenant, and every call here says yes. */
  exclusiveTenants: boolean;
  tenantLeaseMs: number;
}

export class TenantLeases {
  private readonly leases = new Map<string, TenantLease>();
  /** A previous life of this instance was dead before this moment. */
  private readonly startedAt: number;

  constructor(private readonly deps: TenantLeasesDeps) {
    this.startedAt = deps.now().getTime();
  }

  /** True while this instance holds (or has just taken or renewed) the tenant's lease. */
  async hold(tenantId: string): Promise<boolean> {
    const { deps } = this;
    if (!deps.exclusiveTenants) return true;
    const held = this.leases.get(tenantId);
    const now = deps.now().getTime();
    if (held && Date.parse(held.expiresAt) - now > deps.tenantLeaseMs * RENEW_WHEN_LEFT) return true;
    const lease = await deps.repository.take(tenantId, deps.instanceId, new Date(now + deps.tenantLeaseMs), new Date(now));
    if (lease) {
      if (!held) deps.log.info({ tenantId }, 'outbox: sending for the tenant');
      // The instance that held the tenant before may have sent until then: its requests
      // still count in Teams' window, so this one starts after they have left it.
      // A previous life of this instance (instanceId.ts) stopped before this process started.
      if (lease.previousHolderUntil !== undefined) {
        deps.gate.others(tenantId, lease.previousLife ? Math.min(this.startedAt, now) : Date.parse(lease.previousHolderUntil));
      }
      this.leases.set(tenantId, lease);
      return true;
    }
    if (held) deps.log.warn({ tenantId }, 'outbox: another instance took over the tenant');
    this.leases.delete(tenantId);
    return false;
  }

  /** Renews the leases of tenants this instance still has work for, and gives the others up. */
  async keep(busy: (tenantId: string) => boolean): Promise<void> {
    for (const [tenantId, lease] of this.leases) {
      if (busy(tenantId)) await this.hold(tenantId);
      else await this.release(lease);
    }
  }

  /** Gives every lease up (the sender stops), so that another instance can take the tenants at once. */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.leases.values()].map((lease) => this.release(lease)));
  }

  private async release(lease: TenantLease): Promise<void> {
    this.leases.delete(lease.tenantId);
    try {
      await this.deps.repository.release(lease, this.deps.now());
    } catch (error) {
      this.deps.log.warn({ err: error, tenantId: lease.tenantId }, 'outbox: giving up a tenant lease failed; it expires on its own');
    }
  }
}
