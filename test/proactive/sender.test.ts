import { performance } from 'node:perf_hooks';
import { type JobProgress, Outbox } from '../../src/proactive/outbox';
import type { UnreachableConversation } from '../../src/proactive/sender';
import { freePort } from '../../src/storage/embeddedAzurite';
import { createProactiveDelivery } from '../../src/proactive';
import { capturingLogger } from '../helpers/bot';
import { RateLimitedConnector } from '../helpers/rateLimitedConnector';
import { eventually } from '../helpers/eventually';
import { chats, deliveriesByRecipient, FAST, freshOutbox, httpConnector, teachers, TENANT, testSender } from './support';

const JOB = { id: 'goal-dialogue-prompt|dialogue-1', kind: 'goal-dialogue-prompt', tenantId: TENANT, startedBy: 'aad-principal' };

describe('outbox sender', () => {
  let standIn: RateLimitedConnector;
  afterEach(async () => {
    await standIn.stop();
  });

  test('when a job goes to 1,000 teachers then each gets the prompt exactly once, in a chat created once, and the job reports done', async () => {
    // A higher cap than Teams' 50/s keeps the test quick; the benchmark runs at 50.
    standIn = await new RateLimitedConnector({ tenantPerSecond: 1000 }).start();
    const storage = await freshOutbox();
    const outbox = new Outbox(storage.repository, () => new Date());
    const recipients = teachers(1000, standIn.url);
    await outbox.enqueue(JOB, recipients);
    const sender = testSender(storage, { connector: httpConnector() }, { tenantRequestsPerSecond: 1000, progressIntervalMs: 200 });
    const reports: { at: number; progress: JobProgress }[] = [];
    sender.onProgress('goal-dialogue-prompt', (progress) => {
      reports.push({ at: performance.now(), progress });
    });
    sender.onProgress('checkin', () => {
      throw new Error('not this kind');
    });

    sender.start();
    await sender.idle();
    await sender.stop();

    const delivered = deliveriesByRecipient(standIn.deliveries);
    expect(delivered.size).toBe(1000);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(standIn.throttled).toBe(0);
    expect(standIn.requests.filter((r) => r.kind === 'create')).toHaveLength(1000);
    expect(standIn.chats.size).toBe(1000);

    const rows = await storage.repository.listRecipients(JOB.id);
    expect(
      rows.every((row) => row.status === 'sent' && row.attempts === 2 && row.activityId?.startsWith('act-') && row.conversationId?.startsWith('a:chat-')),
    ).toBe(true);
    // The created chats were reported, so the next job finds them instead of creating them.
    expect(await storage.chats.find(TENANT, '29:teacher-0042')).toBe(standIn.chats.get(`${TENANT}|29:teacher-0042`));

    const final = await outbox.progress(JOB.id);
    expect(final).toMatchObject({ total: 1000, sent: 1000, pending: 0, failed: 0, done: true, startedBy: 'aad-principal' });
    // Progress: throttled while running, and the completion exactly once, last.
    const done = reports.filter((report) => report.progress.done);
    expect(done).toHaveLength(1);
    expect(reports[reports.length - 1]!.progress.done).toBe(true);
    const running = reports.filter((report) => !report.progress.done);
    expect(running.length).toBeGreaterThan(0);
    for (let i = 1; i < running.length; i++) expect(running[i]!.at - running[i - 1]!.at).toBeGreaterThanOrEqual(195);
    expect(await storage.repository.listOpenJobs()).toEqual([]);
  });

  test('when recipients fail permanently then each is recorded with its reason, never retried, and lost conversations are reported', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 500 }).start();
    const storage = await freshOutbox();
    const url = standIn.url;
    const recipients = [
      ...chats(8, url),
      ...teachers(2, url),
      // Nothing listens there: a network error, retried until the retries run out.
      {
        ...chats(1, url, 8)[0]!,
        target: { kind: 'conversation' as const, serviceUrl: `http://127.0.0.1:${await freePort()}/`, tenantId: TENANT, conversationId: 'a:unreachable' },
      },
    ];
    const conversation = (key: string) => `a:existing-${key}`;
    standIn.failWhen((r) => r.conversationId === conversation('chat-0001'), { status: 403, code: 'ConversationBlockedByUser' });
    standIn.failWhen((r) => r.conversationId === conversation('chat-0002'), { status: 404, code: 'ConversationNotFound' });
    standIn.failWhen((r) => r.conversationId === conversation('chat-0003'), { status: 413 });
    standIn.failWhen((r) => r.conversationId === conversation('chat-0004'), { status: 403, code: 'BotDisabledByAdmin' });
    standIn.failWhen((r) => r.kind === 'create' && r.userId === '29:teacher-0000', { status: 403, code: 'BotNotInConversationRoster' });
    standIn.failWhen((r) => r.conversationId === conversation('chat-0005'), { status: 503, times: 2 });
    standIn.failWhen((r) => r.conversationId === conversation('chat-0006'), { status: 502 });
    const unreachable: UnreachableConversation[] = [];
    await new Outbox(storage.repository, () => new Date()).enqueue(JOB, recipients);
    const sender = testSender(storage, { connector: httpConnector(), onConversationUnreachable: (event) => void unreachable.push(event) }, { maxRetries: 2 });

    sender.start();
    await sender.idle();
    await sender.stop();

    const rows = new Map((await storage.repository.listRecipients(JOB.id)).map((row) => [row.key, row]));
    const requestsTo = (conversationId: string) => standIn.requests.filter((r) => r.conversationId === conversationId).length;
    expect(rows.get('chat-0001')).toMatchObject({ status: 'failed', failureReason: 'ConversationBlockedByUser', lastErrorStatus: 403, attempts: 1 });
    expect(rows.get('chat-0002')).toMatchObject({ status: 'failed', failureReason: 'ConversationNotFound', lastErrorStatus: 404, attempts: 1 });
    expect(rows.get('chat-0003')).toMatchObject({ status: 'failed', failureReason: 'MessageTooLarge', lastErrorStatus: 413, attempts: 1 });
    expect(rows.get('chat-0004')).toMatchObject({ status: 'failed', failureReason: 'BotDisabledByAdmin', attempts: 1 });
    expect(rows.get('teacher-0000')).toMatchObject({ status: 'failed', failureReason: 'BotNotInConversationRoster', attempts: 1 });
    for (const key of ['chat-0001', 'chat-0002', 'chat-0003', 'chat-0004']) expect(requestsTo(conversation(key))).toBe(1);
    expect(standIn.requests.filter((r) => r.userId === '29:teacher-0000')).toHaveLength(1);

    expect(rows.get('chat-0005')).toMatchObject({ status: 'sent', attempts: 3, retries: 2 });
    expect(rows.get('chat-0006')).toMatchObject({ status: 'failed', failureReason: 'RetriesExhausted', lastErrorStatus: 502, attempts: 3 });
    expect(rows.get('chat-0008')).toMatchObject({
      status: 'failed',
      failureReason: 'RetriesExhausted',
      lastErrorCode: 'ECONNREFUSED',
      lastErrorStatus: 0,
      attempts: 3,
    });
    expect(rows.get('chat-0000')?.status).toBe('sent');
    expect(rows.get('teacher-0001')?.status).toBe('sent');

    expect(unreachable.map((event) => [event.conversationId, event.status, event.code]).sort()).toEqual([
      [conversation('chat-0001'), 403, 'ConversationBlockedByUser'],
      [conversation('chat-0002'), 404, 'ConversationNotFound'],
      [conversation('chat-0004'), 403, 'BotDisabledByAdmin'],
    ]);
    expect(await new Outbox(storage.repository, () => new Date()).progress(JOB.id)).toMatchObject({
      total: 11,
      sent: 4,
      failed: 7,
      done: true,
      failedByReason: {
        ConversationBlockedByUser: 1,
        ConversationNotFound: 1,
        MessageTooLarge: 1,
        BotDisabledByAdmin: 1,
        BotNotInConversationRoster: 1,
        RetriesExhausted: 2,
      },
    });
  });

  test('when Teams answers 429 then the whole tenant waits the Retry-After, comes back slower, and the recipient is sent later', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 200 }).start();
    const storage = await freshOutbox();
    let seen = 0;
    standIn.failWhen(() => ++seen === 40, { status: 429, retryAfterSeconds: 1 });
    await new Outbox(storage.repository, () => new Date()).enqueue(JOB, chats(300, standIn.url));
    const sender = testSender(storage, { connector: httpConnector() }, { tenantRequestsPerSecond: 200 });

    sender.start();
    await sender.idle();
    await sender.stop();

    const throttled = standIn.requests.find((r) => r.status === 429)!;
    const after = standIn.requests.filter((r) => r.at > throttled.at);
    // Requests already on their way when the 429 came may still arrive; nothing else until the Retry-After has passed.
    const duringPause = after.filter((r) => r.at > throttled.at + 100 && r.at < throttled.at + 1000);
    expect(duringPause).toEqual([]);
    // Back at half the rate (growing back by a tenth a second): at most about 60 % of 200 in the first second.
    const firstSecond = after.filter((r) => r.at >= throttled.at + 1000 && r.at < throttled.at + 2000);
    expect(firstSecond.length).toBeGreaterThan(40);
    expect(firstSecond.length).toBeLessThanOrEqual(125);
    // The throttled recipient went out after the Retry-After, on its second attempt.
    const retried = standIn.requests.filter((r) => r.conversationId === throttled.conversationId);
    expect(retried.map((r) => r.status)).toEqual([429, 200]);
    expect(retried[1]!.at - throttled.at).toBeGreaterThanOrEqual(1000);
    const delivered = deliveriesByRecipient(standIn.deliveries);
    expect(delivered.size).toBe(300);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(standIn.throttled).toBe(1);
  });

  test('when many messages go into one conversation then they are paced to its limits without a 429', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 1000 }).start();
    const storage = await freshOutbox();
    const channel = { kind: 'conversation' as const, serviceUrl: standIn.url, tenantId: TENANT, conversationId: '19:lärgrupp@thread.tacv2' };
    const recipients = chats(12, standIn.url).map((recipient) => ({ ...recipient, target: channel }));
    await new Outbox(storage.repository, () => new Date()).enqueue(JOB, recipients);
    const sender = testSender(storage, { connector: httpConnector() }, { tenantRequestsPerSecond: 1000 });

    sender.start();
    await sender.idle();
    await sender.stop();

    expect(standIn.deliveries.get(channel.conversationId)).toHaveLength(12);
    expect(standIn.throttled).toBe(0);
    const times = standIn.requests.map((r) => r.at);
    // 7 a second and 8 in any 2 seconds: the 9th message cannot arrive within 2 s of the 1st.
    expect(times[8]! - times[0]!).toBeGreaterThanOrEqual(2000);
    expect(standIn.peakInWindow(TENANT, 1000)).toBeLessThanOrEqual(7);
  });

  test('when a chat is known or was created before a failed send then the sender never creates it (again)', async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 500 }).start();
    const storage = await freshOutbox();
    const [known, fresh] = teachers(2, standIn.url);
    await storage.chats.remember({
      tenantId: TENANT,
      userId: '29:teacher-0000',
      botId: '28:malbild-bot',
      serviceUrl: standIn.url,
      conversationId: 'a:known-chat',
      createdAt: new Date().toISOString(),
    });
    standIn.failWhen((r) => r.kind === 'send' && r.conversationId !== 'a:known-chat', { status: 503, times: 2 });
    await new Outbox(storage.repository, () => new Date()).enqueue(JOB, [known!, fresh!]);
    const sender = testSender(storage, { connector: httpConnector() });

    sender.start();
    await sender.idle();
    await sender.stop();

    expect(standIn.requests.filter((r) => r.userId === '29:teacher-0000')).toEqual([]);
    expect(standIn.deliveries.get('a:known-chat')).toHaveLength(1);
    expect(standIn.requests.filter((r) => r.userId === '29:teacher-0001')).toHaveLength(1);
    const row = (await storage.repository.getRecipient(JOB.id, 'teacher-0001'))!.record;
    expect(row).toMatchObject({ status: 'sent', attempts: 4, retries: 2, conversationId: 'a:chat-1' });
    expect(await storage.chats.find(TENANT, '29:teacher-0001')).toBe('a:chat-1');
  });

  test("when a feature enqueues through the proactive delivery then this instance's sender starts at once and the feature hears the progress", async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 500 }).start();
    const storage = await freshOutbox();
    const delivery = createProactiveDelivery(
      {
        repository: storage.repository,
        leases: storage.leases,
        connector: httpConnector(),
        conversations: storage.chats,
        logger: capturingLogger('warn').logger,
        now: () => new Date(),
      },
      // A poll so slow that only the wake-up after the enqueue can explain a quick delivery.
      { ...FAST, pollIntervalMs: 60_000 },
    );
    const finals: JobProgress[] = [];
    delivery.onProgress('goal-dialogue-prompt', (progress) => {
      if (progress.done) finals.push(progress);
    });
    delivery.start();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const result = await delivery.enqueue(
      { ...JOB, reportTo: { conversationId: '19:staff@thread.tacv2', activityId: 'status-card' } },
      teachers(20, standIn.url),
    );
    await eventually(() => finals.length === 1, 5_000);
    await delivery.stop();

    expect(result).toEqual({ jobId: JOB.id, added: 20, alreadyQueued: 0 });
    expect(finals[0]).toMatchObject({ jobId: JOB.id, sent: 20, failed: 0, done: true, reportTo: { activityId: 'status-card' } });
    expect(await delivery.progress(JOB.id)).toMatchObject({ done: true, sent: 20 });
  });

  test("when a feature updates its status card within the limits and Teams answers 429 then the outbox's sending waits too", async () => {
    standIn = await new RateLimitedConnector({ tenantPerSecond: 500 }).start();
    standIn.failWhen((r) => r.kind === 'update', { status: 429, retryAfterSeconds: 1, times: 1 });
    const storage = await freshOutbox();
    const connector = httpConnector();
    const delivery = createProactiveDelivery(
      {
        repository: storage.repository,
        leases: storage.leases,
        connector,
        conversations: storage.chats,
        logger: capturingLogger('warn').logger,
        now: () => new Date(),
      },
      FAST,
    );
    delivery.start();
    const card = { serviceUrl: standIn.url, tenantId: TENANT, conversationId: '19:staff@thread.tacv2' };
    const update = () => delivery.withinLimits(TENANT, card.conversationId, () => connector.update(card, 'status-card', { type: 'message', text: '3 av 20' }));
    await expect(update()).rejects.toMatchObject({ status: 429 });
    const throttledAt = standIn.requests[0]!.at;
    await delivery.enqueue(JOB, chats(5, standIn.url));
    await eventually(async () => (await delivery.progress(JOB.id))?.done === true, 5_000);
    await update();
    await delivery.stop();

    const afterwards = standIn.requests.slice(1);
    expect(afterwards).toHaveLength(6);
    expect(afterwards.every((r) => r.at - throttledAt >= 1000)).toBe(true);
  });
});
