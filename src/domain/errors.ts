import { InvalidTimeError } from '../time';

/**
 * Expected failures carry a code; src/bot maps each code to a reply in the
 * user's language (or an invoke error response). Anything else is a bug and
 * goes to the one turn-error handler.
 */
export type ErrorCode = 'NOT_ALLOWED' | 'NOT_FOUND' | 'STALE' | 'INVALID_INPUT' | 'CONFLICT' | 'TENANT_NOT_ALLOWED';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * An AppError, or a malformed date, time or zone found out by src/time.ts
 * (which sits below the domain and cannot throw the domain's error): it has
 * the same shape and code INVALID_INPUT, and is handled the same way.
 */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return (error instanceof AppError || error instanceof InvalidTimeError) && (code === undefined || error.code === code);
}
