import type { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import { type JobRecord, jobIdSchema, MAX_PAYLOAD_CHARS } from './jobs';
import type { ScheduleRequest } from './schedulerOptions';

/** What the scheduler runs: one handler per job kind, and how a failure is recorded. */

/** What a handler receives: the payload already parsed with the kind's schema. */
export interface DueJob<P> {
  id: string;
  kind: string;
  dueAt: Date;
  payload: P;
  /** 1 for the first run, 2 for the first retry or takeover, … */
  attempt: number;
  /** The handler should be done by then, or another instance may run the job too. */
  leaseExpiresAt: Date;
}

/** What a handler receives for a claimed job record, with its payload parsed. */
export function dueJobOf<P>(job: JobRecord, payload: P): DueJob<P> {
  return {
    id: job.id,
    kind: job.kind,
    dueAt: new Date(job.dueAt),
    payload,
    attempt: job.attempts,
    leaseExpiresAt: new Date(job.leaseExpiresAt ?? job.dueAt),
  };
}

export interface JobHandler<P = unknown> {
  kind: string;
  /** Parses the stored payload; a payload that does not parse fails the job with INVALID_PAYLOAD, without retries. */
  payload: z.ZodType<P, z.ZodTypeDef, unknown>;
  run(job: DueJob<P>): Promise<void>;
  /** Skip instead of run when a run would start more than this long after dueAt. Omitted: run however late. */
  tooLateAfterMs?: number;
  /** Overrides the scheduler's retry.maxAttempts for this kind. */
  maxAttempts?: number;
}

/** Thrown by a handler for a failure that retrying cannot fix: the job fails at once with `code`. */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export function parsePayload(handler: JobHandler, text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const result = handler.payload.safeParse(JSON.parse(text));
    return result.success ? { ok: true, value: result.data } : { ok: false };
  } catch {
    // Not JSON: a row written by hand or by other code; the job cannot run.
    return { ok: false };
  }
}

/**
 * The code recorded for a failure: an error code, never the message (it
 * may quote personal data). AppError and PermanentJobError codes, Node and
 * connector error codes, HTTP statuses, else the error's class name.
 */
export function errorCode(error: unknown): string {
  let code = 'HANDLER_ERROR';
  if (error instanceof PermanentJobError || isAppError(error)) code = error.code;
  else if (typeof error === 'object' && error !== null) {
    const { code: own, statusCode, name } = error as { code?: unknown; statusCode?: unknown; name?: unknown };
    if (typeof own === 'string' && own) code = own;
    else if (typeof statusCode === 'number') code = `HTTP_${statusCode}`;
    else if (typeof name === 'string' && name && name !== 'Error') code = name;
  }
  return code.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64);
}

/**
 * The record a schedule request becomes, checked as it will be read back:
 * INVALID_INPUT for a bad id, an unknown kind (`handler` undefined), a bad
 * time or a payload its handler does not accept as JSON.
 */
export function newJobRecord(request: ScheduleRequest, handler: JobHandler | undefined, now: Date): JobRecord {
  const id = jobIdSchema.safeParse(request.id);
  if (!id.success) throw new AppError('INVALID_INPUT', 'A job id must be 1–200 characters');
  if (!handler) throw new AppError('INVALID_INPUT', `No handler for job kind ${request.kind}`);
  if (!(request.dueAt instanceof Date) || Number.isNaN(request.dueAt.getTime())) throw new AppError('INVALID_INPUT', 'dueAt must be a valid Date');
  const payload = JSON.stringify(request.payload ?? null);
  if (payload.length > MAX_PAYLOAD_CHARS) throw new AppError('INVALID_INPUT', `A job payload must be at most ${MAX_PAYLOAD_CHARS} characters of JSON`);
  // A Date or undefined inside does not survive JSON.
  if (!parsePayload(handler, payload).ok) throw new AppError('INVALID_INPUT', `The payload does not fit job kind ${request.kind}`);
  const dueAt = request.dueAt.toISOString();
  const at = now.toISOString();
  return { id: id.data, kind: request.kind, dueAt, payload, status: 'pending', attempts: 0, wakeAt: dueAt, createdAt: at, updatedAt: at };
}
