import { z } from 'zod';
import type { JobHandler } from '../../src/scheduler/jobHandlers';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler';
import { eventually } from '../helpers/eventually';
import { freshScheduleTable, MINUTE, TestClock, testLogger } from './support';

const JOBS = 200;
const T0 = new Date('2026-09-01T06:00:00Z');

describe('two scheduler instances on one storage account', () => {
  test('when two instances poll the same table concurrently many times then each of 200 jobs runs exactly once', async () => {
    const { connect } = await freshScheduleTable();
    const clock = new TestClock(T0);
    const runsPerJob = new Map<string, number>();
    const runsPerInstance = { a: 0, b: 0 };
    const handlerFor = (instance: 'a' | 'b'): JobHandler<{ n: number }> => ({
      kind: 'checkin',
      payload: z.object({ n: z.number() }),
      run: async (job) => {
        runsPerJob.set(job.id, (runsPerJob.get(job.id) ?? 0) + 1);
        runsPerInstance[instance]++;
        // Yield so that the other instance's claims interleave with this run.
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    const instance = (id: 'a' | 'b'): Scheduler =>
      createScheduler({
        repository: connect(),
        instanceId: id,
        now: clock.now,
        logger: testLogger().logger,
        handlers: [handlerFor(id)],
        pollIntervalMs: 5,
        leaseMs: 5 * MINUTE,
        batchSize: 25,
        concurrency: 8,
      });
    const a = instance('a');
    const b = instance('b');

    // Due times spread over an hour; the clock walks through it while both poll.
    for (let start = 0; start < JOBS; start += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          a.schedule({ id: `job-${start + i}`, kind: 'checkin', dueAt: new Date(T0.getTime() + (start + i) * 18_000), payload: { n: start + i } }),
        ),
      );
    }
    let lost = 0;
    a.start();
    b.start();
    for (let minute = 0; minute <= 60; minute += 5) {
      clock.set(new Date(T0.getTime() + minute * MINUTE));
      // Extra passes on top of the pollers: four passes racing for the same rows.
      const reports = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      lost += reports.reduce((sum, report) => sum + report.lost, 0);
    }
    await eventually(() => runsPerJob.size === JOBS);
    await Promise.all([a.stop(), b.stop()]);

    expect(runsPerJob.size).toBe(JOBS);
    expect([...runsPerJob.values()].every((count) => count === 1)).toBe(true);
    expect(runsPerInstance.a + runsPerInstance.b).toBe(JOBS);
    // Both took part: a test where one instance did everything would prove nothing.
    expect(runsPerInstance.a).toBeGreaterThan(0);
    expect(runsPerInstance.b).toBeGreaterThan(0);
    // …and they really raced for the same rows: claims were lost to the other pass (hundreds in practice).
    expect(lost).toBeGreaterThan(0);
    const stored = await Promise.all(Array.from({ length: JOBS }, (_, n) => a.get(`job-${n}`)));
    expect(stored.every((job) => job?.status === 'done' && job.attempts === 1)).toBe(true);
  });
});
