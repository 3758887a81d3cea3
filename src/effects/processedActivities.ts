import { z } from 'zod';
import type { ProcessedActivities } from '../domain/processedActivities';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';

/**
 * The clean-up of the processed-activities table: once a day (at 03:00
 * UTC) claims that expired are deleted. An expired claim is ignored anyway;
 * the sweep only keeps the table small. Each run plans the next day's;
 * every instance plans tomorrow's at start (the same job id, so once), which
 * also restarts the chain after days without a running bot.
 */
const SWEEP_KIND = 'processed-activities-sweep';
const SWEEP_HOUR_UTC = 3;

export async function planActivitySweep(scheduler: Scheduler, processed: ProcessedActivities, now: () => Date, logger: Logger): Promise<void> {
  scheduler.register({
    kind: SWEEP_KIND,
    payload: z.object({}),
    run: async () => {
      const deleted = await processed.sweep(now());
      logger.info({ deleted }, 'expired activity claims deleted');
      await scheduleNext(scheduler, now());
    },
  });
  await scheduleNext(scheduler, now());
}

async function scheduleNext(scheduler: Scheduler, at: Date): Promise<void> {
  const dueAt = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1, SWEEP_HOUR_UTC));
  await scheduler.schedule({ id: `${SWEEP_KIND}|${dueAt.toISOString().slice(0, 10)}`, kind: SWEEP_KIND, dueAt, payload: {} });
}
