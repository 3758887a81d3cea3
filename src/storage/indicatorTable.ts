import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import { type Indicator, type IndicatorRepository, indicatorSchema, type Measurement, measurementSchema, type SaveOutcome } from '../domain/indicators';
import { escapeKey } from './tableKeys';
import { EntityTable, isStale, restStatus } from './tables';

/**
 * The indicators principals add in Teams and every indicator's
 * measurements, each versioned.
 *
 * Layout: the indicators of a school's goals in the partition
 * "indicators|<school id>", measurements in one partition per series,
 * "measurements|<indicator id>|<unit id>" (the unit is a school, or the
 * organisation level), so that a chart reads one partition. In each
 * partition the current version of a thing is the row named by its id
 * (`current: true`), and every version, the current one too, is also the
 * row "<id>|<version, 6 digits>". A save writes both rows in one
 * entity-group transaction, the current row conditioned on the ETag it was
 * read with (or created, for the first version): both are written or
 * neither, so the history never misses a version, and a form submitted
 * twice finds its id taken (409) and records once. The value is JSON in one
 * string property; a measurement's comment is at most 1,000 characters.
 */

const rowSchema = z.object({
  current: z.boolean(),
  version: z.number().int().min(1),
  value: z.string(),
});
type Row = z.infer<typeof rowSchema>;

const indicatorPartition = (schoolId: string) => `indicators|${schoolId}`;
const seriesPartition = (indicatorId: string, unitId: string) => `measurements|${indicatorId}|${unitId}`;
const historyKey = (id: string, version: number) => `${id}|${String(version).padStart(6, '0')}`;

function entity(partitionKey: string, rowKey: string, row: Row): TableEntity<Row> {
  return { partitionKey: escapeKey(partitionKey), rowKey: escapeKey(rowKey), ...row };
}

export class IndicatorTable implements IndicatorRepository {
  private readonly rows: EntityTable<typeof rowSchema>;

  constructor(private readonly client: TableClient) {
    this.rows = new EntityTable(client, rowSchema);
  }

  async schoolIndicators(schoolId: string): Promise<Indicator[]> {
    return (await this.current(indicatorPartition(schoolId))).map((value) => indicatorSchema.parse(value));
  }

  saveIndicator(indicator: Indicator & { goal: { level: 'school' } }, expectedVersion: number): Promise<SaveOutcome> {
    return this.save(indicatorPartition(indicator.goal.schoolId), indicator.id, indicator.version, indicator, expectedVersion);
  }

  async indicatorHistory(schoolId: string, indicatorId: string): Promise<Indicator[]> {
    return (await this.history(indicatorPartition(schoolId), indicatorId)).map((value) => indicatorSchema.parse(value));
  }

  async measurements(indicatorId: string, unitId: string): Promise<Measurement[]> {
    return (await this.current(seriesPartition(indicatorId, unitId)))
      .map((value) => measurementSchema.parse(value))
      .sort((a, b) => a.date.localeCompare(b.date) || a.recordedAt.localeCompare(b.recordedAt));
  }

  saveMeasurement(measurement: Measurement, expectedVersion: number): Promise<SaveOutcome> {
    return this.save(seriesPartition(measurement.indicatorId, measurement.unitId), measurement.id, measurement.version, measurement, expectedVersion);
  }

  async measurementHistory(indicatorId: string, unitId: string, measurementId: string): Promise<Measurement[]> {
    return (await this.history(seriesPartition(indicatorId, unitId), measurementId)).map((value) => measurementSchema.parse(value));
  }

  private async current(partition: string): Promise<unknown[]> {
    return (await this.rows.listPartition(partition)).filter((row) => row.value.current).map((row) => JSON.parse(row.value.value) as unknown);
  }

  private async history(partition: string, id: string): Promise<unknown[]> {
    const prefix = `${id}|`;
    const rows = this.client.listEntities<Row>({
      queryOptions: {
        filter: `PartitionKey eq '${escapeKey(partition).replace(/'/g, "''")}' and RowKey gt '${escapeKey(prefix).replace(/'/g, "''")}' and RowKey lt '${escapeKey(`${id}|~`).replace(/'/g, "''")}'`,
      },
    });
    const versions: Row[] = [];
    for await (const row of rows) versions.push(rowSchema.parse(row));
    return versions.sort((a, b) => a.version - b.version).map((row) => JSON.parse(row.value) as unknown);
  }

  private async save(partition: string, id: string, version: number, value: unknown, expectedVersion: number): Promise<SaveOutcome> {
    if (version !== expectedVersion + 1) throw new Error(`version ${version} does not follow ${expectedVersion}`);
    const json = JSON.stringify(value);
    const history: TransactionAction = ['create', entity(partition, historyKey(id, version), { current: false, version, value: json })];
    if (expectedVersion === 0) {
      try {
        await this.client.submitTransaction([['create', entity(partition, id, { current: true, version, value: json })], history]);
        return 'saved';
      } catch (error) {
        // The id is taken: the same form was submitted before.
        if (restStatus(error) === 409) return 'exists';
        throw error;
      }
    }
    const current = await this.rows.get(partition, id);
    if (current?.value.version !== expectedVersion) throw new AppError('STALE', 'changed since it was read');
    try {
      await this.client.submitTransaction([
        ['update', entity(partition, id, { current: true, version, value: json }), 'Replace', { etag: current.eTag }],
        history,
      ]);
      return 'saved';
    } catch (error) {
      // Another save got there first: the current row changed (412), or wrote this version's history row (409).
      if (isStale(error) || restStatus(error) === 409) throw new AppError('STALE', 'changed since it was read');
      throw error;
    }
  }
}
