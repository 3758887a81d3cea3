import { isAppError } from '../../src/domain/errors';
import { MAX_ACTIVITY_BYTES, Outbox } from '../../src/proactive/outbox';
import { chats, freshOutbox, teachers, TENANT } from './support';

const URL = 'https://smba.example.test/emea/';
const NOW = new Date('2026-09-01T06:00:00.000Z');
const job = (id = 'job-1') => ({
  id,
  kind: 'goal-dialogue-prompt',
  tenantId: TENANT,
  startedBy: 'aad-principal',
  reportTo: { conversationId: '19:staff', activityId: 'card-1' },
});

describe('outbox table', () => {
  test('when a job is enqueued twice (a feature repeating after a crash) then each recipient has one row', async () => {
    const { repository } = await freshOutbox();
    const outbox = new Outbox(repository, () => NOW);
    const first = await outbox.enqueue(job(), teachers(150, URL));
    const again = await outbox.enqueue(job(), [...teachers(150, URL), ...teachers(10, URL, 150)]);

    expect(first).toEqual({ jobId: 'job-1', added: 150, alreadyQueued: 0 });
    expect(again).toEqual({ jobId: 'job-1', added: 10, alreadyQueued: 150 });
    expect(await repository.listRecipients('job-1')).toHaveLength(160);
    const stored = await repository.getJob('job-1');
    expect(stored?.job).toMatchObject({ status: 'open', recipients: 160, startedBy: 'aad-principal', reportTo: { activityId: 'card-1' } });
    expect((await repository.listOpenJobs()).map((entry) => entry.jobId)).toEqual(['job-1']);
  });

  test('when two enqueues of one job race then each recipient still has one row', async () => {
    const { repository, connect } = await freshOutbox();
    const other = connect().repository;
    const results = await Promise.all([
      new Outbox(repository, () => NOW).enqueue(job(), teachers(120, URL)),
      new Outbox(other, () => NOW).enqueue(job(), teachers(120, URL)),
    ]);
    expect(results[0].added + results[1].added).toBe(120);
    expect(await repository.listRecipients('job-1')).toHaveLength(120);
  });

  test('when an activity is larger than a Table property (an Adaptive Card of 150 KB) then it round-trips intact', async () => {
    const { repository } = await freshOutbox();
    const body = Array.from({ length: 1500 }, (_, i) => ({ type: 'TextBlock', text: `Rad ${i}: åäö ÅÄÖ é — ${'x'.repeat(60)}` }));
    const activity = {
      type: 'message' as const,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body } }],
    };
    expect(Buffer.byteLength(JSON.stringify(activity))).toBeGreaterThan(150_000);
    await new Outbox(repository, () => NOW).enqueue(job(), [{ key: 'big', target: chats(1, URL)[0]!.target, activity }]);
    expect((await repository.getRecipient('job-1', 'big'))?.record.activity).toEqual(activity);
  });

  test('when an activity is larger than the outbox takes then the enqueue is refused', async () => {
    const { repository } = await freshOutbox();
    const activity = { type: 'message' as const, text: 'x'.repeat(MAX_ACTIVITY_BYTES + 1) };
    await expect(new Outbox(repository, () => NOW).enqueue(job(), [{ key: 'huge', target: chats(1, URL)[0]!.target, activity }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  test('when a recipient is in another tenant or a job id is reused for another kind then the enqueue is refused', async () => {
    const { repository } = await freshOutbox();
    const outbox = new Outbox(repository, () => NOW);
    const stranger = { ...chats(1, URL)[0]!, target: { kind: 'conversation' as const, serviceUrl: URL, tenantId: 'other-tenant', conversationId: 'a:x' } };
    await expect(outbox.enqueue(job(), [stranger])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await outbox.enqueue(job(), chats(1, URL));
    const reused = await outbox.enqueue({ ...job(), kind: 'checkin' }, chats(1, URL)).catch((error: unknown) => error);
    expect(isAppError(reused, 'CONFLICT')).toBe(true);
  });

  test('when looking for claimable rows then pending, due retrying and expired sending rows are found, and nothing else', async () => {
    const { repository } = await freshOutbox();
    await new Outbox(repository, () => NOW).enqueue(job(), chats(7, URL));
    const rows = await repository.findClaimable('job-1', NOW, 100);
    const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
    const change = async (index: number, changes: Record<string, unknown>) => repository.update(rows[index]!, { updatedAt: at(0), ...changes });
    await change(0, { status: 'sent' });
    await change(1, { status: 'failed', failureReason: 'ConversationBlockedByUser' });
    await change(2, { status: 'retrying', nextAttemptAt: at(-1) });
    await change(3, { status: 'retrying', nextAttemptAt: at(60_000) });
    await change(4, { status: 'sending', claimOwner: 'dead', claimExpiresAt: at(-1) });
    await change(5, { status: 'sending', claimOwner: 'alive', claimExpiresAt: at(60_000) });

    const claimable = await repository.findClaimable('job-1', NOW, 100);
    expect(claimable.map((row) => row.record.key).sort()).toEqual(['chat-0002', 'chat-0004', 'chat-0006']);
    expect(await repository.countStatuses('job-1')).toEqual({
      total: 7,
      pending: 1,
      retrying: 2,
      sending: 2,
      sent: 1,
      failed: 1,
      failedByReason: { ConversationBlockedByUser: 1 },
    });
  });

  test('when two senders claim the same rows at once then each row is won by exactly one of them', async () => {
    const { repository, connect } = await freshOutbox();
    const other = connect().repository;
    await new Outbox(repository, () => NOW).enqueue(job(), chats(80, URL));
    const claim = (owner: string) => ({
      status: 'sending' as const,
      claimOwner: owner,
      claimExpiresAt: new Date(NOW.getTime() + 60_000).toISOString(),
      updatedAt: NOW.toISOString(),
    });
    const [seenA, seenB] = await Promise.all([repository.findClaimable('job-1', NOW, 100), other.findClaimable('job-1', NOW, 100)]);
    // B first changes a few rows, so that A's transaction fails and A falls back to claiming one by one.
    const wonB1 = await other.updateMany(seenB.slice(0, 5).map((row) => ({ row, changes: claim('b') })));
    const [wonA, wonB2] = await Promise.all([
      repository.updateMany(seenA.map((row) => ({ row, changes: claim('a') }))),
      other.updateMany(seenB.slice(5).map((row) => ({ row, changes: claim('b') }))),
    ]);
    const winners = [...wonA, ...wonB1, ...wonB2].filter((row) => row !== undefined);
    expect(winners).toHaveLength(80);
    expect(new Set(winners.map((row) => row.record.key)).size).toBe(80);
    const stored = await repository.listRecipients('job-1');
    for (const row of stored) {
      const winner = winners.find((w) => w.record.key === row.key)!;
      expect(row.claimOwner).toBe(winner.record.claimOwner);
    }
  });

  test('when a stale row is updated then the update fails with STALE', async () => {
    const { repository } = await freshOutbox();
    await new Outbox(repository, () => NOW).enqueue(job(), chats(1, URL));
    const [row] = await repository.findClaimable('job-1', NOW, 1);
    await repository.update(row!, { status: 'sending', updatedAt: NOW.toISOString() });
    await expect(repository.update(row!, { status: 'sending', updatedAt: NOW.toISOString() })).rejects.toMatchObject({ code: 'STALE' });
  });

  test('when a finished job is enqueued again with nothing new then it stays finished and leaves the index', async () => {
    const { repository } = await freshOutbox();
    const outbox = new Outbox(repository, () => NOW);
    await outbox.enqueue(job(), chats(2, URL));
    for (const row of await repository.findClaimable('job-1', NOW, 10)) await repository.update(row, { status: 'sent', updatedAt: NOW.toISOString() });
    const stored = (await repository.getJob('job-1'))!;
    expect(await repository.completeJob('job-1', stored.eTag, await repository.countStatuses('job-1'), NOW)).toBe(true);
    const [entry] = await repository.listOpenJobs();
    await repository.closeOpenEntry(entry!);

    await outbox.enqueue(job(), chats(2, URL));
    expect((await repository.getJob('job-1'))?.job.status).toBe('done');
    expect(await repository.listOpenJobs()).toEqual([]);
    expect(await outbox.progress('job-1')).toMatchObject({ done: true, sent: 2, total: 2 });

    await outbox.enqueue(job(), chats(3, URL));
    expect((await repository.getJob('job-1'))?.job.status).toBe('open');
    expect(await repository.listOpenJobs()).toHaveLength(1);
    expect(await outbox.progress('job-1')).toMatchObject({ done: false, sent: 2, pending: 1, total: 3 });
  });

  test('when two instances want a tenant then one holds its lease until it expires or is given up, and the next learns until when the first sent', async () => {
    const { leases, connect } = await freshOutbox();
    const other = connect().leases;
    const at = (ms: number) => new Date(NOW.getTime() + ms);

    const a = await leases.take(TENANT, 'a', at(30_000), NOW);
    expect(a).toMatchObject({ owner: 'a', expiresAt: at(30_000).toISOString() });
    expect(a?.previousHolderUntil).toBeUndefined();
    expect(await other.take(TENANT, 'b', at(30_000), at(1_000))).toBeUndefined();
    expect(await other.take('tenant-b', 'b', at(30_000), at(1_000))).toMatchObject({ owner: 'b' });
    // Renewed by its holder; taken over once expired.
    const renewed = await leases.take(TENANT, 'a', at(45_000), at(15_000));
    expect(renewed).toMatchObject({ owner: 'a', expiresAt: at(45_000).toISOString() });
    expect(renewed?.previousHolderUntil).toBeUndefined();
    expect(await other.take(TENANT, 'b', at(90_000), at(45_001))).toMatchObject({ owner: 'b', previousHolderUntil: at(45_000).toISOString() });

    // Given up: free at once, with the moment it ended.
    const c = await leases.take('tenant-c', 'a', at(30_000), NOW);
    await leases.release(c!, at(2_000));
    expect(await other.take('tenant-c', 'b', at(40_000), at(2_500))).toMatchObject({ owner: 'b', previousHolderUntil: at(2_000).toISOString() });
  });

  test('when two instances race for a free tenant lease then exactly one gets it', async () => {
    const { leases, connect } = await freshOutbox();
    const others = Array.from({ length: 5 }, () => connect().leases);
    const results = await Promise.all([leases, ...others].map((r, i) => r.take(TENANT, `instance-${i}`, new Date(NOW.getTime() + 30_000), NOW)));
    expect(results.filter((lease) => lease !== undefined)).toHaveLength(1);
  });
});
