import type { ConnectorPort } from '../../src/proactive/connector';
import { Outbox } from '../../src/proactive/outbox';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import { eventually } from '../helpers/eventually';
import { chats, deliveriesByRecipient, freshOutbox, httpConnector, teachers, TENANT, testSender } from './support';

/** Counts the messages one instance sent. */
function counting(connector: ConnectorPort): { connector: ConnectorPort; sent: () => number } {
  let sent = 0;
  return {
    connector: {
      ...connector,
      send: async (target, activity) => {
        const result = await connector.send(target, activity);
        sent += 1;
        return result;
      },
      createPersonalConversation: (target) => connector.createPersonalConversation(target),
      update: (target, id, activity) => connector.update(target, id, activity),
    },
    sent: () => sent,
  };
}

describe('two senders on one storage account', () => {
  let standIn: RateLimitedConnector;
  afterEach(async () => {
    await standIn.stop();
  });

  test('when two senders race for the same rows (tenant leases off) then every row is sent exactly once and both did part of the work', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 2000 }).start();
    const storage = await freshOutbox();
    const outbox = new Outbox(storage.repository, () => new Date());
    await outbox.enqueue({ id: 'prompt', kind: 'goal-dialogue-prompt', tenantId: TENANT }, teachers(400, standIn.url));
    await outbox.enqueue({ id: 'checkin', kind: 'checkin', tenantId: TENANT }, chats(200, standIn.url));
    const a = counting(httpConnector());
    const b = counting(httpConnector());
    // Small claims and many in progress: the instances keep colliding on the same rows.
    const options = { tenantRequestsPerSecond: 1000, exclusiveTenants: false, claimBatchSize: 10, concurrency: 8 };
    const senderA = testSender(storage.connect(), { connector: a.connector, instanceId: 'a' }, options);
    const senderB = testSender(storage.connect(), { connector: b.connector, instanceId: 'b' }, options);

    senderA.start();
    senderB.start();
    await Promise.all([senderA.idle(), senderB.idle()]);
    await Promise.all([senderA.stop(), senderB.stop()]);

    const delivered = deliveriesByRecipient(standIn.deliveries);
    expect(delivered.size).toBe(600);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(a.sent() + b.sent()).toBe(600);
    expect(a.sent()).toBeGreaterThan(0);
    expect(b.sent()).toBeGreaterThan(0);
    expect(await outbox.progress('prompt')).toMatchObject({ done: true, sent: 400 });
    expect(await outbox.progress('checkin')).toMatchObject({ done: true, sent: 200 });
  });

  test('when two senders run side by side (the default) then one at a time sends for a tenant, within its cap, and the other takes over when it stops', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 100 }).start();
    const storage = await freshOutbox();
    const outbox = new Outbox(storage.repository, () => new Date());
    await outbox.enqueue({ id: 'checkin', kind: 'checkin', tenantId: TENANT }, chats(300, standIn.url));
    const a = counting(httpConnector());
    const b = counting(httpConnector());
    const options = { tenantRequestsPerSecond: 100, tenantLeaseMs: 2_000 };
    const senderA = testSender(storage.connect(), { connector: a.connector, instanceId: 'a' }, options);
    const senderB = testSender(storage.connect(), { connector: b.connector, instanceId: 'b' }, options);

    senderA.start();
    await eventually(() => a.sent() > 0);
    senderB.start();
    await eventually(() => a.sent() >= 120);
    // Both were running: only the lease holder sent, so the tenant never saw more than its cap.
    expect(b.sent()).toBe(0);
    await senderA.stop();
    await senderB.idle();
    await senderB.stop();

    expect(b.sent()).toBeGreaterThan(0);
    const delivered = deliveriesByRecipient(standIn.deliveries);
    expect(delivered.size).toBe(300);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(standIn.throttled).toBe(0);
    expect(standIn.peakInWindow(TENANT, 1000)).toBeLessThanOrEqual(100);
  });
});
