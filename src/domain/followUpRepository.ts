import type { Response, Round, SchoolAnalysis } from './followUp';
import type { Stored } from './optimistic';

/** A round as its unit's and its teachers' indexes list it. */
export interface RoundSummary {
  roundId: string;
  dialogueId: string;
  schoolId: string;
  schoolYear: string;
  status: Round['status'];
  createdAt: string;
}

/** Where follow-up rounds, their answers and the schools' analyses live (src/storage/followUpTable.ts). */
export interface FollowUpRepository {
  /** Creates the round and its unit's index row; CONFLICT when the id exists. */
  createRound(round: Round): Promise<void>;
  getRound(tenantId: string, roundId: string): Promise<Stored<Round> | undefined>;
  /** Fails with STALE when the round changed since it was read; keeps the unit's and the participants' index rows in step. */
  saveRound(round: Round, eTag: string): Promise<void>;
  roundsOfUnit(tenantId: string, schoolId: string): Promise<RoundSummary[]>;
  roundsOfTeacher(tenantId: string, aadObjectId: string): Promise<RoundSummary[]>;

  getResponse(tenantId: string, roundId: string, aadObjectId: string, goalNumber: number): Promise<Stored<Response> | undefined>;
  /** Without an ETag: insert (CONFLICT → STALE when it exists); with one: replace only if unchanged (else STALE). */
  saveResponse(tenantId: string, response: Response, eTag?: string): Promise<void>;
  responses(tenantId: string, roundId: string): Promise<Response[]>;

  /** Every version of every goal's analysis of the school and läsår. */
  schoolAnalyses(tenantId: string, schoolId: string, schoolYear: string): Promise<SchoolAnalysis[]>;
  /** Adds a version; CONFLICT when that version exists (someone saved first). */
  addSchoolAnalysis(tenantId: string, analysis: SchoolAnalysis): Promise<void>;
}
