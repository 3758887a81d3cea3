import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import type { Stored } from '../domain/optimistic';
import { type ResultAnswer, resultAnswerSchema, type ResultAnswerRepository } from '../domain/resultDialogue';
import { EntityTable } from './tables';

/**
 * The schools' answers in a resultatdialog (src/domain/resultDialogue.ts):
 * table `resultanswers`, partition `<tenant>|<round id>`, row
 * `<school id>|<indicator id>`: one row per school and indicator, so the
 * manager's side-by-side view is one partition read, and the principals of
 * different schools saving at once never touch the same row.
 *
 * A table of its own rather than rows in `followupanswers`: every read of a
 * round's goal answers lists that partition and parses each row as a goal
 * answer, so other rows there would have to be filtered out by every reader;
 * and the keys differ in kind (a school and an indicator, not a person and
 * a goal number).
 */

const rowSchema = resultAnswerSchema.omit({ roundId: true, writtenBy: true }).extend({ writtenById: z.string(), writtenByName: z.string() });

const key = {
  partition: (tenantId: string, roundId: string) => `${tenantId}|${roundId}`,
  row: (schoolId: string, indicatorId: string) => `${schoolId}|${indicatorId}`,
};

export class ResultDialogueTable implements ResultAnswerRepository {
  private readonly rows: EntityTable<typeof rowSchema>;

  constructor(client: TableClient) {
    this.rows = new EntityTable(client, rowSchema);
  }

  async getAnswer(tenantId: string, roundId: string, schoolId: string, indicatorId: string): Promise<Stored<ResultAnswer> | undefined> {
    const row = await this.rows.get(key.partition(tenantId, roundId), key.row(schoolId, indicatorId));
    return row ? { value: toAnswer(roundId, row.value), eTag: row.eTag } : undefined;
  }

  async saveAnswer(tenantId: string, answer: ResultAnswer, eTag?: string): Promise<void> {
    const { roundId, writtenBy, ...rest } = answer;
    const row = { ...rest, writtenById: writtenBy.aadObjectId, writtenByName: writtenBy.name };
    const partition = key.partition(tenantId, roundId);
    const rowKey = key.row(answer.schoolId, answer.indicatorId);
    if (eTag) {
      await this.rows.replace(partition, rowKey, row, eTag);
      return;
    }
    try {
      await this.rows.insert(partition, rowKey, row);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) throw new AppError('STALE', 'the answer was saved meanwhile');
      throw error;
    }
  }

  async answers(tenantId: string, roundId: string): Promise<ResultAnswer[]> {
    return (await this.rows.listPartition(key.partition(tenantId, roundId))).map((row) => toAnswer(roundId, row.value));
  }
}

function toAnswer(roundId: string, row: z.infer<typeof rowSchema>): ResultAnswer {
  const { writtenById, writtenByName, ...rest } = row;
  return resultAnswerSchema.parse({ ...rest, roundId, writtenBy: { aadObjectId: writtenById, name: writtenByName } });
}
