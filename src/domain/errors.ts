/**
 * Expected failures carry a code; src/bot maps each code to a reply in the
 * user's language (or an invoke error response). Anything else is a bug and
 * goes to the one turn-error handler.
 */
export type ErrorCode =
  | 'NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'STALE'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'TENANT_NOT_ALLOWED';

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

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
