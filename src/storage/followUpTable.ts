import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import { type Response, responseSchema, type Round, roundSchema, type SchoolAnalysis, schoolAnalysisSchema } from '../domain/followUp';
import type { FollowUpRepository, RoundSummary } from '../domain/followUpRepository';
import type { Stored } from '../domain/optimistic';
import type { DocumentStore } from './documentStore';
import { EntityTable } from './tables';

/**
 * Follow-up rounds (uppföljning) and what they gather.
 *
 * - A round is a document in `documents` (`followup/<tenant>/<round id>`):
 *   its participants with their goals' numbers can run to a thousand
 *   teachers, more than one entity holds.
 * - `followups` indexes them: partition `unit|<tenant>|<unit id>` (a
 *   school's or the organisation level's rounds, for the owner, the
 *   previous round and the manager's rollup) and `teacher|<tenant>|<aad>`
 *   (the rounds a teacher answers in), row = the round id. Written after
 *   the round, rewritten whenever it is saved: a crash between leaves an
 *   index row that the next save repairs, never a round nobody can find
 *   once it has opened.
 * - `followupanswers`: one row per teacher and goal, partition
 *   `<tenant>|<round id>`, row `<aad>|<goal number>`, so thirty teachers
 *   answering at once never wait for each other and a round's answers are
 *   one partition read. Four texts of at most 2,000 characters fit.
 * - `schoolanalyses`: the school's analysis per goal and läsår, partition
 *   `<tenant>|<unit>|<läsår>`, row `<goal id>|<version, 6 digits>`: every
 *   version kept, a new one inserted only if absent (two saves of the same
 *   version: the second gets CONFLICT).
 * - The learning groups' reflections on goals are their check-in answers
 *   (the `answers` table, learningGroupTable.ts), counted from there.
 */

const summarySchema = z.object({
  roundId: z.string(),
  dialogueId: z.string(),
  schoolId: z.string(),
  schoolYear: z.string(),
  status: z.enum(['planned', 'open', 'closed', 'cancelled']),
  createdAt: z.string(),
});

const responseRowSchema = z.object({
  aadObjectId: z.string(),
  name: z.string(),
  goalNumber: z.number().int(),
  progress: z.number().int().optional(),
  worked: z.string().optional(),
  evidence: z.string().optional(),
  evidenceValue: z.number().optional(),
  evidenceUnit: z.string().optional(),
  next: z.string().optional(),
  support: z.string().optional(),
  status: z.enum(['draft', 'confirmed']),
  updatedAt: z.string(),
  confirmedAt: z.string().optional(),
});

const analysisRowSchema = schoolAnalysisSchema.omit({ roundId: true }).extend({ roundId: z.string().optional() });

const key = {
  round: (tenantId: string, roundId: string) => `followup/${tenantId}/${roundId}`,
  unit: (tenantId: string, schoolId: string) => `unit|${tenantId}|${schoolId}`,
  teacher: (tenantId: string, aadObjectId: string) => `teacher|${tenantId}|${aadObjectId}`,
  answers: (tenantId: string, roundId: string) => `${tenantId}|${roundId}`,
  answer: (aadObjectId: string, goalNumber: number) => `${aadObjectId}|${goalNumber}`,
  analyses: (tenantId: string, schoolId: string, schoolYear: string) => `${tenantId}|${schoolId}|${schoolYear}`,
  version: (goalId: string, version: number) => `${goalId}|${String(version).padStart(6, '0')}`,
};

export class FollowUpTable implements FollowUpRepository {
  private readonly index: EntityTable<typeof summarySchema>;
  private readonly answers: EntityTable<typeof responseRowSchema>;
  private readonly analyses: EntityTable<typeof analysisRowSchema>;

  constructor(
    private readonly documents: DocumentStore,
    clients: { followUps: TableClient; answers: TableClient; analyses: TableClient },
  ) {
    this.index = new EntityTable(clients.followUps, summarySchema);
    this.answers = new EntityTable(clients.answers, responseRowSchema);
    this.analyses = new EntityTable(clients.analyses, analysisRowSchema);
  }

  async createRound(round: Round): Promise<void> {
    await this.documents.create(key.round(round.tenantId, round.id), round);
    await this.indexRound(round);
  }

  private async indexRound(round: Round): Promise<void> {
    const summary: RoundSummary = {
      roundId: round.id,
      dialogueId: round.dialogueId,
      schoolId: round.schoolId,
      schoolYear: round.schoolYear,
      status: round.status,
      createdAt: round.createdAt,
    };
    await this.index.upsert(key.unit(round.tenantId, round.schoolId), round.id, summary);
    await Promise.all(round.participants.map((p) => this.index.upsert(key.teacher(round.tenantId, p.aadObjectId), round.id, summary)));
  }

  async getRound(tenantId: string, roundId: string): Promise<Stored<Round> | undefined> {
    return this.documents.get(roundSchema, key.round(tenantId, roundId));
  }

  async saveRound(round: Round, eTag: string): Promise<void> {
    await this.documents.put(key.round(round.tenantId, round.id), round, eTag);
    await this.indexRound(round);
  }

  async roundsOfUnit(tenantId: string, schoolId: string): Promise<RoundSummary[]> {
    return (await this.index.listPartition(key.unit(tenantId, schoolId))).map((row) => row.value);
  }

  async roundsOfTeacher(tenantId: string, aadObjectId: string): Promise<RoundSummary[]> {
    return (await this.index.listPartition(key.teacher(tenantId, aadObjectId))).map((row) => row.value);
  }

  async getResponse(tenantId: string, roundId: string, aadObjectId: string, goalNumber: number): Promise<Stored<Response> | undefined> {
    const row = await this.answers.get(key.answers(tenantId, roundId), key.answer(aadObjectId, goalNumber));
    return row ? { value: toResponse(roundId, row.value), eTag: row.eTag } : undefined;
  }

  async saveResponse(tenantId: string, response: Response, eTag?: string): Promise<void> {
    const { roundId, ...row } = response;
    const partition = key.answers(tenantId, roundId);
    const rowKey = key.answer(response.aadObjectId, response.goalNumber);
    if (eTag) {
      await this.answers.replace(partition, rowKey, row, eTag);
      return;
    }
    try {
      await this.answers.insert(partition, rowKey, row);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) throw new AppError('STALE', 'the answer was saved meanwhile');
      throw error;
    }
  }

  async responses(tenantId: string, roundId: string): Promise<Response[]> {
    return (await this.answers.listPartition(key.answers(tenantId, roundId))).map((row) => toResponse(roundId, row.value));
  }

  async schoolAnalyses(tenantId: string, schoolId: string, schoolYear: string): Promise<SchoolAnalysis[]> {
    return (await this.analyses.listPartition(key.analyses(tenantId, schoolId, schoolYear))).map((row) => schoolAnalysisSchema.parse(row.value));
  }

  async addSchoolAnalysis(tenantId: string, analysis: SchoolAnalysis): Promise<void> {
    await this.analyses.insert(key.analyses(tenantId, analysis.schoolId, analysis.schoolYear), key.version(analysis.goalId, analysis.version), analysis);
  }
}

function toResponse(roundId: string, row: z.infer<typeof responseRowSchema>): Response {
  return responseSchema.parse({ ...row, roundId });
}
