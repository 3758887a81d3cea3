import { ConnectorError } from './connector';

/**
 * What a failed connector call means for the recipient (Learn, "Rate
 * limiting for bots" and the Bot Connector's error codes):
 *
 * - 429 (throttled), 412 (a concurrent change), 408, 500, 502, 503, 504 and
 *   network errors are transient: the recipient is tried again, a bounded
 *   number of times;
 * - 403 (ConversationBlockedByUser, the bot not installed for the user,
 *   BotDisabledByAdmin, …), 404 (the conversation is gone), 413 (the
 *   message is too large) and any other status are permanent: recorded with
 *   their reason and never tried again. A 403 or 404 from a conversation
 *   that exists means the bot can no longer reach it.
 *
 * Codes, never messages, are kept: a message may quote personal data.
 */
export type FailureVerdict =
  | { kind: 'retry'; status: number | undefined; code: string; retryAfterMs: number | undefined; throttled: boolean }
  | { kind: 'permanent'; status: number | undefined; code: string; reason: string; conversationGone: boolean };

const TRANSIENT_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);

export function classifyFailure(error: unknown): FailureVerdict {
  if (!(error instanceof ConnectorError)) {
    // Not an answer from the service (a bug or a failure inside the client): try again, bounded.
    return { kind: 'retry', status: undefined, code: 'UNEXPECTED', retryAfterMs: undefined, throttled: false };
  }
  const status = error.status;
  const code = error.code ?? (status === undefined ? 'NETWORK' : `HTTP${status}`);
  if (status === undefined || TRANSIENT_STATUSES.has(status)) {
    return { kind: 'retry', status, code, retryAfterMs: error.retryAfterMs, throttled: status === 429 };
  }
  return { kind: 'permanent', status, code, reason: reasonFor(status, error.code), conversationGone: status === 403 || status === 404 };
}

/** The reason a permanent failure is counted under in a job's progress. */
function reasonFor(status: number, code: string | undefined): string {
  if (code) return code;
  switch (status) {
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 413:
      return 'MessageTooLarge';
    default:
      return `HTTP${status}`;
  }
}

/** The reason of a recipient that stayed transient through every allowed attempt. */
export const RETRIES_EXHAUSTED = 'RetriesExhausted';

export interface BackoffPolicy {
  /** The first retry waits about this long; each next one twice as long. */
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with jitter for the `retry`-th retry (1, 2, …): a
 * random time between half and all of base × 2^(retry-1), capped, so that
 * recipients that failed together do not come back together.
 */
export function backoffMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
