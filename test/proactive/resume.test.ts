import { Outbox } from '../../src/proactive/outbox';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import { eventually } from '../helpers/eventually';
import { chats, deliveriesByRecipient, freshOutbox, httpConnector, ShiftedClock, TENANT, testSender } from './support';

const JOB = { id: 'checkin|lärgrupp-ma-7-9|2026-09-14', kind: 'checkin', tenantId: TENANT };

describe('resuming after a restart', () => {
  let standIn: RateLimitedConnector;
  afterEach(async () => {
    await standIn.stop();
  });

  test('when a sender stops halfway (a restart) then a new sender finishes the job with nothing lost and nothing sent twice', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 100 }).start();
    const storage = await freshOutbox();
    await new Outbox(storage.repository, () => new Date()).enqueue(JOB, chats(200, standIn.url));
    const first = testSender(storage, { connector: httpConnector(), instanceId: 'before-restart' }, { tenantRequestsPerSecond: 100 });

    first.start();
    await eventually(() => standIn.delivered >= 60);
    await first.stop();

    // Stopping gave every claimed but unsent row back: nothing waits for a claim to expire.
    const counts = await storage.repository.countStatuses(JOB.id);
    expect(counts.sending).toBe(0);
    expect(counts.sent).toBeGreaterThanOrEqual(60);
    expect(counts.sent).toBeLessThan(200);

    const second = testSender(storage.connect(), { connector: httpConnector(), instanceId: 'after-restart' }, { tenantRequestsPerSecond: 100 });
    second.start();
    await second.idle();
    await second.stop();

    const delivered = deliveriesByRecipient(standIn.deliveries);
    expect(delivered.size).toBe(200);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect((await storage.repository.getJob(JOB.id))?.job.status).toBe('done');
  });

  test("when a sender died holding rows then pending rows go at once, due retries next, and the dead sender's rows once their claims expire", async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 500 }).start();
    const storage = await freshOutbox();
    const clock = new ShiftedClock();
    await new Outbox(storage.repository, clock.now).enqueue(JOB, chats(30, standIn.url));
    // What a sender that died left behind: 10 rows claimed (perhaps in flight), 10 waiting to be retried, 10 pending.
    const rows = (await storage.repository.findClaimable(JOB.id, clock.now(), 100)).sort((a, b) => a.record.key.localeCompare(b.record.key));
    const inAMinute = new Date(clock.now().getTime() + 60_000).toISOString();
    const updatedAt = clock.now().toISOString();
    await storage.repository.updateMany([
      ...rows.slice(0, 10).map((row) => ({ row, changes: { status: 'sending' as const, claimOwner: 'dead-instance', claimExpiresAt: inAMinute, updatedAt } })),
      ...rows.slice(10, 20).map((row) => ({
        row,
        changes: {
          status: 'retrying' as const,
          retries: 1,
          attempts: 1,
          lastErrorCode: 'HTTP503',
          nextAttemptAt: new Date(clock.now().getTime() + 30_000).toISOString(),
          updatedAt,
        },
      })),
    ]);
    const sender = testSender(storage, { connector: httpConnector(), now: clock.now });

    sender.start();
    await eventually(() => standIn.delivered === 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...deliveriesByRecipient(standIn.deliveries).keys()].sort()).toEqual(rows.slice(20).map((row) => row.record.key));

    clock.advance(31_000);
    await eventually(() => standIn.delivered === 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(standIn.delivered).toBe(20);

    clock.advance(30_000);
    await sender.idle();
    await sender.stop();

    const delivered = deliveriesByRecipient(standIn.deliveries);
    expect(delivered.size).toBe(30);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    const stored = new Map((await storage.repository.listRecipients(JOB.id)).map((row) => [row.key, row]));
    for (const row of rows.slice(0, 10)) expect(stored.get(row.record.key)).toMatchObject({ status: 'sent', takeovers: 1, attempts: 1 });
    for (const row of rows.slice(10, 20)) expect(stored.get(row.record.key)).toMatchObject({ status: 'sent', takeovers: 0, attempts: 2, retries: 1 });
    expect(await new Outbox(storage.repository, clock.now).progress(JOB.id)).toMatchObject({ done: true, sent: 30 });
  });
});
