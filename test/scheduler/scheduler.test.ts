import { z } from 'zod';
import { AppError } from '../../src/domain/errors';
import { type ScheduleRepository } from '../../src/scheduler/jobs';
import { type DueJob, type JobHandler, PermanentJobError } from '../../src/scheduler/jobHandlers';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler';
import type { SchedulerOptions } from '../../src/scheduler/schedulerOptions';
import { localTimeOf, zonedTime } from '../../src/time';
import { eventually } from '../helpers/eventually';
import { freshScheduleTable, HOUR, MINUTE, TestClock, testLogger } from './support';

const T0 = new Date('2026-09-01T06:00:00Z');
const reminderPayload = z.object({ dialogueId: z.string() });

interface Recorder {
  runs: DueJob<{ dialogueId: string }>[];
  handler: JobHandler<{ dialogueId: string }>;
}

function recorder(kind = 'reminder', extra: Partial<JobHandler<{ dialogueId: string }>> = {}): Recorder {
  const runs: DueJob<{ dialogueId: string }>[] = [];
  return {
    runs,
    handler: {
      kind,
      payload: reminderPayload,
      run: async (job) => {
        runs.push(job);
      },
      ...extra,
    },
  };
}

async function setUp(handlers: JobHandler<{ dialogueId: string }>[], options: Partial<SchedulerOptions> = {}) {
  const { repository, connect } = await freshScheduleTable();
  const clock = new TestClock(T0);
  const { logger, lines } = testLogger();
  const make = (instanceId: string, repo: ScheduleRepository = repository): Scheduler =>
    createScheduler({ repository: repo, instanceId, now: clock.now, logger, handlers, leaseMs: 5 * MINUTE, random: () => 1, ...options });
  return { scheduler: make('instance-a'), make, connect, clock, lines, repository };
}

describe('scheduling and cancelling', () => {
  test('when a job is scheduled then it is stored pending in UTC with no attempts', async () => {
    const { handler } = recorder();
    const { scheduler } = await setUp([handler]);
    const result = await scheduler.schedule({ id: 'r|d1|7d', kind: 'reminder', dueAt: new Date('2026-09-02T06:00:00Z'), payload: { dialogueId: 'd1' } });
    expect(result.outcome).toBe('created');
    expect(await scheduler.get('r|d1|7d')).toMatchObject({ status: 'pending', attempts: 0, dueAt: '2026-09-02T06:00:00.000Z', kind: 'reminder' });
  });

  test('when the same job is scheduled twice then one job is kept, and a new time replaces the unrun job', async () => {
    const { runs, handler } = recorder();
    const { scheduler, clock } = await setUp([handler]);
    const request = { id: 'same', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } };
    expect((await scheduler.schedule(request)).outcome).toBe('created');
    expect((await scheduler.schedule(request)).outcome).toBe('unchanged');
    const later = new Date(T0.getTime() + HOUR);
    expect((await scheduler.schedule({ ...request, dueAt: later, payload: { dialogueId: 'd2' } })).outcome).toBe('replaced');
    expect(await scheduler.runDue()).toMatchObject({ done: 0 });
    clock.advance(HOUR);
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    expect(runs.map((job) => job.payload)).toEqual([{ dialogueId: 'd2' }]);
    expect(runs[0]!.dueAt).toEqual(later);
  });

  test('when a likely new job is scheduled with scheduleNew then it is created, and one that exists is treated as schedule treats it', async () => {
    const { runs, handler } = recorder();
    const { scheduler, clock } = await setUp([handler]);
    const request = { id: 'window|1', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } };
    expect((await scheduler.scheduleNew(request)).outcome).toBe('created');
    expect((await scheduler.scheduleNew(request)).outcome).toBe('unchanged');
    const later = new Date(T0.getTime() + HOUR);
    expect((await scheduler.scheduleNew({ ...request, dueAt: later })).outcome).toBe('replaced');
    clock.advance(HOUR);
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    expect((await scheduler.scheduleNew({ ...request, dueAt: clock.now() })).outcome).toBe('unchanged');
    expect(runs).toHaveLength(1);
  });

  test('when a job that already ran is scheduled again then it is left done and does not run again', async () => {
    const { runs, handler } = recorder();
    const { scheduler, clock } = await setUp([handler]);
    const request = { id: 'once', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } };
    await scheduler.schedule(request);
    await scheduler.runDue();
    clock.advance(MINUTE);
    expect((await scheduler.schedule({ ...request, dueAt: clock.now() })).outcome).toBe('unchanged');
    await scheduler.runDue();
    expect(runs).toHaveLength(1);
    expect(await scheduler.get('once')).toMatchObject({ status: 'done', attempts: 1 });
  });

  test('when a job is cancelled then it never runs, and scheduling its id again brings it back', async () => {
    const { runs, handler } = recorder();
    const { scheduler } = await setUp([handler]);
    await scheduler.schedule({ id: 'c1', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });
    expect(await scheduler.cancel('c1')).toBe(true);
    expect(await scheduler.cancel('c1')).toBe(false);
    expect(await scheduler.cancel('no-such-job')).toBe(false);
    await scheduler.runDue();
    expect(runs).toHaveLength(0);
    expect(await scheduler.get('c1')).toMatchObject({ status: 'cancelled' });
    expect((await scheduler.schedule({ id: 'c1', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } })).outcome).toBe('replaced');
    await scheduler.runDue();
    expect(runs).toHaveLength(1);
  });

  test('when the kind is unknown or the payload does not fit its schema then scheduling is refused with INVALID_INPUT', async () => {
    const { handler } = recorder();
    const { scheduler } = await setUp([handler]);
    await expect(scheduler.schedule({ id: 'x', kind: 'nudge', dueAt: T0, payload: {} })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(scheduler.schedule({ id: 'x', kind: 'reminder', dueAt: T0, payload: { dialogue: 1 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(scheduler.schedule({ id: 'x', kind: 'reminder', dueAt: new Date('nope'), payload: { dialogueId: 'd' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(scheduler.schedule({ id: 'x', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'x'.repeat(40_000) } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await scheduler.get('x')).toBeUndefined();
  });

  test('when ids carry characters Table keys forbid then jobs are still kept apart and found', async () => {
    const { runs, handler } = recorder();
    const { scheduler } = await setUp([handler]);
    for (const id of ['a/b', 'a\\b', 'a#b', 'a?b', 'a%2Fb']) {
      await scheduler.schedule({ id, kind: 'reminder', dueAt: T0, payload: { dialogueId: id } });
    }
    await scheduler.runDue();
    expect(runs.map((job) => job.id).sort()).toEqual(['a#b', 'a%2Fb', 'a/b', 'a?b', 'a\\b']);
  });
});

describe('running due jobs', () => {
  test('when a job is due then it runs once with its parsed payload, and later passes do not run it again', async () => {
    const { runs, handler } = recorder();
    const { scheduler, clock } = await setUp([handler]);
    await scheduler.schedule({ id: 'due', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    clock.advance(HOUR);
    await scheduler.runDue();
    await scheduler.runDue();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 'due', kind: 'reminder', payload: { dialogueId: 'd1' }, attempt: 1, dueAt: T0 });
    expect(await scheduler.get('due')).toMatchObject({ status: 'done', attempts: 1, finishedAt: T0.toISOString() });
    expect(await scheduler.get('due')).not.toHaveProperty('leaseOwner');
  });

  test('when a job is in the future then it waits until its time has come', async () => {
    const { runs, handler } = recorder();
    const { scheduler, clock } = await setUp([handler]);
    await scheduler.schedule({ id: 'future', kind: 'reminder', dueAt: new Date(T0.getTime() + 10 * MINUTE), payload: { dialogueId: 'd1' } });
    await scheduler.runDue();
    clock.advance(10 * MINUTE - 1);
    await scheduler.runDue();
    expect(runs).toHaveLength(0);
    clock.advance(1);
    await scheduler.runDue();
    expect(runs).toHaveLength(1);
  });

  test('when jobs fell due while no poller ran then the poller runs them on start, and stop() ends polling', async () => {
    const { runs, handler } = recorder();
    const { scheduler, lines } = await setUp([handler], { pollIntervalMs: 20 });
    await scheduler.schedule({ id: 'missed-1', kind: 'reminder', dueAt: new Date(T0.getTime() - 3 * HOUR), payload: { dialogueId: 'd1' } });
    await scheduler.schedule({ id: 'missed-2', kind: 'reminder', dueAt: new Date(T0.getTime() - 2 * 24 * HOUR), payload: { dialogueId: 'd2' } });
    scheduler.start();
    await eventually(() => runs.length === 2);
    await scheduler.stop();
    expect(runs.map((job) => job.id).sort()).toEqual(['missed-1', 'missed-2']);
    await scheduler.schedule({ id: 'after-stop', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd3' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toHaveLength(2);
    expect(lines.some((line) => line.msg === 'scheduler started')).toBe(true);
  });

  test("when a job is older than its kind's too-late window then it is skipped and logged at info with id and kind only", async () => {
    const checkins = recorder('checkin', { tooLateAfterMs: HOUR });
    const reminders = recorder('reminder');
    const { scheduler, lines } = await setUp([checkins.handler, reminders.handler]);
    await scheduler.schedule({ id: 'late', kind: 'checkin', dueAt: new Date(T0.getTime() - HOUR - 1), payload: { dialogueId: 'Lenas mål' } });
    await scheduler.schedule({ id: 'in-time', kind: 'checkin', dueAt: new Date(T0.getTime() - HOUR), payload: { dialogueId: 'd2' } });
    await scheduler.schedule({ id: 'no-window', kind: 'reminder', dueAt: new Date(T0.getTime() - 30 * 24 * HOUR), payload: { dialogueId: 'd3' } });
    expect(await scheduler.runDue()).toMatchObject({ done: 2, skipped: 1 });
    expect(checkins.runs.map((job) => job.id)).toEqual(['in-time']);
    expect(reminders.runs.map((job) => job.id)).toEqual(['no-window']);
    expect(await scheduler.get('late')).toMatchObject({ status: 'skipped', attempts: 0 });
    const skipped = lines.find((line) => line.msg === 'job skipped: too late to run');
    expect(skipped).toMatchObject({ level: 30, jobId: 'late', kind: 'checkin' });
    expect(JSON.stringify(lines)).not.toContain('Lenas mål');
  });

  test('when a handler fails then it is retried with growing backoff and at the last attempt marked failed with the code', async () => {
    let calls = 0;
    const failing: JobHandler<{ dialogueId: string }> = {
      kind: 'reminder',
      payload: reminderPayload,
      run: async () => {
        calls++;
        throw Object.assign(new Error('Lena Lärare could not be reached'), { code: 'CONNECTOR_503' });
      },
    };
    const { scheduler, clock, lines } = await setUp([failing], { retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 } });
    await scheduler.schedule({ id: 'flaky', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });

    expect(await scheduler.runDue()).toMatchObject({ retried: 1 });
    expect(await scheduler.get('flaky')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'CONNECTOR_503', wakeAt: '2026-09-01T06:00:01.000Z' });
    clock.advance(999);
    await scheduler.runDue();
    expect(calls).toBe(1);
    clock.advance(1);
    await scheduler.runDue();
    expect(await scheduler.get('flaky')).toMatchObject({ status: 'pending', attempts: 2, wakeAt: '2026-09-01T06:00:03.000Z' });
    clock.advance(2000);
    expect(await scheduler.runDue()).toMatchObject({ failed: 1 });
    expect(calls).toBe(3);
    expect(await scheduler.get('flaky')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'CONNECTOR_503' });
    expect(await scheduler.get('flaky')).not.toHaveProperty('wakeAt');
    clock.advance(HOUR);
    await scheduler.runDue();
    expect(calls).toBe(3);
    expect(JSON.stringify(lines)).not.toMatch(/"level":(40|50)[^}]*Lena/);
  });

  test('when a handler fails once then the retry succeeds and the job is done', async () => {
    let calls = 0;
    const handler: JobHandler<{ dialogueId: string }> = {
      kind: 'reminder',
      payload: reminderPayload,
      run: async () => {
        if (++calls === 1) throw new AppError('STALE', 'changed meanwhile');
      },
    };
    const { scheduler, clock } = await setUp([handler], { retry: { baseDelayMs: 1000 } });
    await scheduler.schedule({ id: 'once-flaky', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });
    await scheduler.runDue();
    clock.advance(1000);
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    expect(await scheduler.get('once-flaky')).toMatchObject({ status: 'done', attempts: 2, lastError: 'STALE' });
  });

  test('when a handler throws a permanent error then the job fails at once with its code', async () => {
    const handler: JobHandler<{ dialogueId: string }> = {
      kind: 'reminder',
      payload: reminderPayload,
      run: async () => {
        throw new PermanentJobError('DIALOGUE_CLOSED', 'the dialogue is closed');
      },
    };
    const { scheduler } = await setUp([handler]);
    await scheduler.schedule({ id: 'closed', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });
    expect(await scheduler.runDue()).toMatchObject({ failed: 1, retried: 0 });
    expect(await scheduler.get('closed')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'DIALOGUE_CLOSED' });
  });

  test("when a stored payload no longer fits the kind's schema then the job fails with INVALID_PAYLOAD without running", async () => {
    const { handler } = recorder();
    const { scheduler, repository, clock } = await setUp([handler]);
    await scheduler.schedule({ id: 'old-shape', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });
    // A newer release reads the row with a stricter schema.
    let runs = 0;
    const stricter = {
      kind: 'reminder',
      payload: z.object({ dialogueId: z.string(), schoolId: z.string() }),
      run: async () => void runs++,
    };
    const upgraded = createScheduler({ repository, instanceId: 'upgraded', now: clock.now, logger: testLogger().logger, handlers: [stricter] });
    expect(await upgraded.runDue()).toMatchObject({ failed: 1 });
    expect(await upgraded.get('old-shape')).toMatchObject({ status: 'failed', lastError: 'INVALID_PAYLOAD', attempts: 0 });
    expect(runs).toBe(0);
  });
});

describe('kinds an instance does not know', () => {
  test('when due jobs of a kind this instance has no handler for come first then they are left alone and do not hide later jobs', async () => {
    const nudges = recorder('nudge');
    const reminders = recorder('reminder');
    const { make, repository, clock } = await setUp([nudges.handler, reminders.handler]);
    const { logger, lines } = testLogger();
    const newer = make('newer-release');
    for (let i = 0; i < 5; i++)
      await newer.schedule({ id: `nudge-${i}`, kind: 'nudge', dueAt: new Date(T0.getTime() - HOUR + i), payload: { dialogueId: 'd' } });
    await newer.schedule({ id: 'reminder', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd' } });
    const older = createScheduler({ repository, instanceId: 'older-release', now: clock.now, logger, handlers: [reminders.handler], batchSize: 2 });
    expect(await older.runDue()).toMatchObject({ done: 1 });
    expect(reminders.runs.map((job) => job.id)).toEqual(['reminder']);
    expect(await older.get('nudge-0')).toMatchObject({ status: 'pending', attempts: 0 });
    await older.runDue();
    expect(lines.filter((line) => line.level === 40).map((line) => [line.msg, line.kind])).toEqual([
      ['no handler for this job kind here; leaving its jobs to an instance that has one', 'nudge'],
    ]);
    expect(await newer.runDue()).toMatchObject({ done: 5 });
  });
});

describe('leases', () => {
  test("when the instance running a job dies then another takes it over after the lease expires, and the dead runner's outcome is not recorded", async () => {
    const { repository, connect } = await freshScheduleTable();
    const clock = new TestClock(T0);
    const { logger } = testLogger();
    let releaseA: () => void = () => undefined;
    const startedA: string[] = [];
    const ranB: string[] = [];
    const a = createScheduler({
      repository,
      instanceId: 'a',
      now: clock.now,
      logger,
      leaseMs: 5 * MINUTE,
      handlers: [
        {
          kind: 'reminder',
          payload: reminderPayload,
          run: (job) => {
            startedA.push(job.id);
            return new Promise<void>((resolve) => (releaseA = resolve));
          },
        },
      ],
    });
    const b = createScheduler({
      repository: connect(),
      instanceId: 'b',
      now: clock.now,
      logger,
      leaseMs: 5 * MINUTE,
      handlers: [{ kind: 'reminder', payload: reminderPayload, run: async (job) => void ranB.push(job.id) }],
    });
    await a.schedule({ id: 'orphan', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });

    const passA = a.runDue();
    await eventually(() => startedA.length === 1);
    expect(await b.get('orphan')).toMatchObject({ status: 'running', leaseOwner: 'a', leaseExpiresAt: '2026-09-01T06:05:00.000Z' });
    expect(await b.runDue()).toMatchObject({ done: 0, takenOver: 0 });
    clock.advance(5 * MINUTE - 1);
    await b.runDue();
    expect(ranB).toHaveLength(0);

    clock.advance(1);
    expect(await b.runDue()).toMatchObject({ done: 1, takenOver: 1 });
    expect(ranB).toEqual(['orphan']);
    expect(await b.get('orphan')).toMatchObject({ status: 'done', attempts: 2 });

    // A was only slow, not dead: its late finish must not overwrite B's record.
    releaseA();
    expect(await passA).toMatchObject({ done: 0, lost: 1 });
    expect(await b.get('orphan')).toMatchObject({ status: 'done', attempts: 2 });
  });

  test('when runners keep dying on a job then it fails with LEASE_EXPIRED after the last attempt instead of running forever', async () => {
    const { repository } = await freshScheduleTable();
    const clock = new TestClock(T0);
    const started: string[] = [];
    const hanging = (instanceId: string): Scheduler =>
      createScheduler({
        repository,
        instanceId,
        now: clock.now,
        logger: testLogger().logger,
        leaseMs: MINUTE,
        retry: { maxAttempts: 2 },
        handlers: [{ kind: 'reminder', payload: reminderPayload, run: () => new Promise<void>(() => void started.push(instanceId)) }],
      });
    await hanging('first').schedule({ id: 'poison', kind: 'reminder', dueAt: T0, payload: { dialogueId: 'd1' } });
    void hanging('first').runDue();
    await eventually(() => started.length === 1);
    clock.advance(MINUTE);
    void hanging('second').runDue();
    await eventually(() => started.length === 2);
    clock.advance(MINUTE);
    expect(await hanging('third').runDue()).toMatchObject({ failed: 1 });
    expect(started).toEqual(['first', 'second']);
    expect(await hanging('third').get('poison')).toMatchObject({ status: 'failed', attempts: 2, lastError: 'LEASE_EXPIRED' });
  });
});

describe('daylight saving time', () => {
  test('when 08:00 Europe/Stockholm jobs are planned on the days around both switches then each runs at 08:00 local, not an hour off', async () => {
    const { runs, handler } = recorder();
    const { scheduler, clock } = await setUp([handler]);
    const days = ['2026-03-28', '2026-03-29', '2026-03-30', '2026-10-24', '2026-10-25', '2026-10-26'];
    for (const day of days) {
      await scheduler.schedule({ id: `checkin|${day}`, kind: 'reminder', dueAt: zonedTime(day, '08:00', 'Europe/Stockholm'), payload: { dialogueId: day } });
    }
    const expected = [
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
      '2026-10-24T06:00:00.000Z',
      '2026-10-25T07:00:00.000Z',
      '2026-10-26T07:00:00.000Z',
    ];
    for (const [i, utc] of expected.entries()) {
      // A minute early nothing runs; on the minute exactly that day's job does.
      clock.set(new Date(Date.parse(utc) - MINUTE));
      await scheduler.runDue();
      expect(runs).toHaveLength(i);
      clock.set(new Date(utc));
      await scheduler.runDue();
      expect(runs).toHaveLength(i + 1);
      expect(runs[i]!.payload.dialogueId).toBe(days[i]);
      expect(localTimeOf(runs[i]!.dueAt, 'Europe/Stockholm')).toBe('08:00');
    }
  });
});
