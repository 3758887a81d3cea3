import { type Logger } from '../../src/logger';
import { ScheduleTable } from '../../src/storage/scheduleTable';
import { ensureTable, tableClient } from '../../src/storage/tables';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';
import { capturingLogger } from '../helpers/bot';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private current: Date) {}
  readonly now = (): Date => new Date(this.current.getTime());
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
}

/**
 * A fresh schedule table on the test Azurite. `connect()` gives another
 * repository (its own client) on the same table, as a second instance of
 * the bot on the same storage account would have.
 */
export async function freshScheduleTable(): Promise<{ repository: ScheduleTable; connect: () => ScheduleTable }> {
  const settings = { connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('sch') };
  await ensureTable(tableClient(settings, 'schedule'));
  const connect = (): ScheduleTable => new ScheduleTable(tableClient(settings, 'schedule'));
  return { repository: connect(), connect };
}

export function testLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  return capturingLogger('debug');
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
