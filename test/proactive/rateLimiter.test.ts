import { ConnectorError } from '../../src/proactive/connector';
import { type Acquisition, RateLimiter, type Ticket, teamsRateLimits } from '../../src/proactive/rateLimiter';
import { backoffMs, classifyFailure } from '../../src/proactive/retryPolicy';

const T = 'tenant-a';

/** A limiter with Teams' windows and no rounding margin, so the arithmetic below is exact. */
function limiter(tenantPerSecond = 50): RateLimiter {
  return new RateLimiter(teamsRateLimits(tenantPerSecond, { marginMs: 0 }));
}

function granted(result: Acquisition): Ticket {
  if (!result.ok) throw new Error(`expected a place, got ${JSON.stringify(result)}`);
  return result.ticket;
}

/** Takes `count` places at `now`, each answered `latencyMs` later. */
function burst(rate: RateLimiter, now: number, count: number, conversationId?: (i: number) => string, latencyMs = 0): void {
  for (let i = 0; i < count; i++) rate.complete(granted(rate.tryAcquire(now, T, conversationId?.(i))), now + latencyMs);
}

describe('rate limiter: the tenant budget', () => {
  test('when 50 requests were answered within a second then the 51st waits until the first leaves the window', () => {
    const rate = limiter();
    burst(rate, 0, 50, (i) => `c${i}`);
    expect(rate.tryAcquire(999, T, 'other')).toEqual({ ok: false, scope: 'tenant', retryAt: 1000 });
    expect(rate.tryAcquire(1000, T, 'other').ok).toBe(true);
  });

  test('when the tenant cap is configured then it is the one enforced', () => {
    const rate = limiter(10);
    burst(rate, 0, 10, (i) => `c${i}`);
    expect(rate.tryAcquire(500, T, 'x').ok).toBe(false);
  });

  test('when a request is counted then it counts from the moment its answer arrived, however long it took', () => {
    const rate = limiter(2);
    rate.complete(granted(rate.tryAcquire(0, T)), 300);
    rate.complete(granted(rate.tryAcquire(0, T)), 10);
    // The second place frees at 10 + 1000; the first only at 300 + 1000.
    expect(rate.tryAcquire(900, T)).toEqual({ ok: false, scope: 'tenant', retryAt: 1010 });
    expect(rate.tryAcquire(1010, T).ok).toBe(true);
    expect(rate.tryAcquire(1200, T)).toEqual({ ok: false, scope: 'tenant', retryAt: 1300 });
  });

  test('when the budget is taken by requests still in flight then the next one waits for an answer, not for a time', () => {
    const rate = limiter(2);
    granted(rate.tryAcquire(0, T));
    const second = granted(rate.tryAcquire(0, T));
    expect(rate.tryAcquire(5_000, T)).toEqual({ ok: false, scope: 'tenant', retryAt: undefined });
    rate.complete(second, 5_000);
    expect(rate.tryAcquire(5_999, T)).toEqual({ ok: false, scope: 'tenant', retryAt: 6_000 });
  });

  test('when a place is cancelled (the request was never made) then it is given back', () => {
    const rate = limiter(1);
    const ticket = granted(rate.tryAcquire(0, T, 'c'));
    expect(rate.tryAcquire(0, T, 'd').ok).toBe(false);
    rate.cancel(ticket);
    expect(rate.tryAcquire(0, T, 'd').ok).toBe(true);
  });

  test('when one tenant is at its cap then another tenant is not held back', () => {
    const rate = limiter(5);
    burst(rate, 0, 5);
    expect(rate.tryAcquire(1, T).ok).toBe(false);
    expect(rate.tryAcquire(1, 'tenant-b').ok).toBe(true);
  });

  test('when conversation creation (no conversation yet) is requested then it counts against the tenant only', () => {
    const rate = limiter(3);
    burst(rate, 0, 3);
    expect(rate.tryAcquire(1, T)).toMatchObject({ ok: false, scope: 'tenant' });
  });
});

describe('rate limiter: one conversation', () => {
  test('when 7 messages went into a conversation within a second then the 8th waits for the second to pass', () => {
    const rate = limiter();
    burst(rate, 0, 7, () => 'chat');
    expect(rate.tryAcquire(500, T, 'chat')).toEqual({ ok: false, scope: 'conversation', retryAt: 1000 });
    expect(rate.tryAcquire(500, T, 'another-chat').ok).toBe(true);
  });

  test('when 8 went in within 2 seconds then the 9th waits for the 2-second window', () => {
    const rate = limiter();
    burst(rate, 0, 7, () => 'chat');
    burst(rate, 1000, 1, () => 'chat');
    expect(rate.tryAcquire(1500, T, 'chat')).toEqual({ ok: false, scope: 'conversation', retryAt: 2000 });
  });

  test('when 60 went in within 30 seconds then the 61st waits for the 30-second window', () => {
    const rate = limiter();
    // 4 every 2 seconds stays within 7/s and 8/2 s: 60 messages by t = 28 s.
    for (let i = 0; i < 15; i++) burst(rate, i * 2000, 4, () => 'chat');
    expect(rate.tryAcquire(29_000, T, 'chat')).toEqual({ ok: false, scope: 'conversation', retryAt: 30_000 });
    expect(rate.tryAcquire(30_000, T, 'chat').ok).toBe(true);
  });

  test('when a conversation is at its limit then requests to it do not take tenant places', () => {
    const rate = limiter(10);
    burst(rate, 0, 7, () => 'chat');
    expect(rate.tryAcquire(1, T, 'chat').ok).toBe(false);
    // 3 tenant places are left for other conversations.
    burst(rate, 1, 3, (i) => `other-${i}`);
    expect(rate.tryAcquire(1, T, 'other-x')).toMatchObject({ ok: false, scope: 'tenant' });
  });

  test('when thousands of conversations were used once then the limiter forgets them after the longest window', () => {
    const rate = limiter(10_000);
    burst(rate, 0, 2000, (i) => `chat-${i}`);
    expect(rate.rememberedConversations).toBe(2000);
    rate.tryAcquire(3_600_000 + 20_000, T);
    expect(rate.rememberedConversations).toBe(0);
  });
});

describe('rate limiter: after a 429', () => {
  test('when the service answers 429 then the whole tenant pauses for the Retry-After', () => {
    const rate = limiter();
    rate.throttle(1_000, T, 2_000, 'chat');
    expect(rate.tryAcquire(2_999, T, 'another-chat')).toEqual({ ok: false, scope: 'tenant', retryAt: 3_000 });
    expect(rate.tryAcquire(2_999, T)).toEqual({ ok: false, scope: 'tenant', retryAt: 3_000 });
    expect(rate.tryAcquire(2_999, 'tenant-b').ok).toBe(true);
    expect(rate.tryAcquire(3_000, T, 'another-chat').ok).toBe(true);
  });

  test('when the pause ends then the tenant runs at half its rate and regains the full rate over the recovery time', () => {
    const rate = new RateLimiter(teamsRateLimits(50, { marginMs: 0, recoveryMs: 10_000 }));
    rate.throttle(0, T, 1_000);
    expect(rate.tenantShare(T, 1_000)).toBe(0.5);
    burst(rate, 1_000, 25, (i) => `c${i}`);
    expect(rate.tryAcquire(1_000, T, 'c-next')).toMatchObject({ ok: false, scope: 'tenant' });
    expect(rate.tenantShare(T, 3_500)).toBeCloseTo(0.75, 5);
    expect(rate.tenantShare(T, 6_000)).toBeCloseTo(1, 5);
  });

  test('when several 429s arrive within one pause (requests already in flight) then the rate is cut once', () => {
    const rate = limiter();
    rate.throttle(0, T, 1_000);
    rate.throttle(10, T, 1_000);
    rate.throttle(20, T, 1_000);
    expect(rate.tenantShare(T, 1_020)).toBe(0.5);
    // A 429 after the pause cuts again, never below the floor.
    for (let i = 0; i < 10; i++) rate.throttle(2_000 + i * 2_000, T, 1_000);
    expect(rate.tenantShare(T, 21_000)).toBeGreaterThanOrEqual(0.1);
    expect(rate.tenantShare(T, 21_000)).toBeLessThan(0.11);
  });
});

describe('rate limiter: taking a tenant over from another instance', () => {
  test('when another instance sent for the tenant until a moment then this one waits until those requests left the window', () => {
    const rate = limiter();
    rate.others(T, 5_000);
    expect(rate.tryAcquire(5_500, T, 'chat')).toEqual({ ok: false, scope: 'tenant', retryAt: 6_000 });
    expect(rate.tryAcquire(6_000, T, 'chat').ok).toBe(true);
    expect(rate.tenantShare(T, 6_000)).toBe(1);
  });
});

describe('retry policy', () => {
  test.each([
    [403, 'ConversationBlockedByUser', 'ConversationBlockedByUser', true],
    [403, 'BotDisabledByAdmin', 'BotDisabledByAdmin', true],
    [403, undefined, 'Forbidden', true],
    [404, 'ConversationNotFound', 'ConversationNotFound', true],
    [413, undefined, 'MessageTooLarge', false],
    [400, 'BadArgument', 'BadArgument', false],
  ])('when the connector answers %s %s then the failure is permanent with reason %s', (status, code, reason, gone) => {
    expect(classifyFailure(new ConnectorError('no', status, code))).toMatchObject({ kind: 'permanent', reason, conversationGone: gone });
  });

  test.each([412, 429, 502, 503, 504])('when the connector answers %s then it is retried', (status) => {
    expect(classifyFailure(new ConnectorError('later', status, undefined, 1500))).toMatchObject({
      kind: 'retry',
      retryAfterMs: 1500,
      throttled: status === 429,
    });
  });

  test('when the network fails (no status) then it is retried with the network code', () => {
    expect(classifyFailure(new ConnectorError('down', undefined, 'ECONNRESET'))).toMatchObject({ kind: 'retry', code: 'ECONNRESET' });
  });

  test('when backing off then each retry waits between half and all of a doubling, capped time', () => {
    const policy = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffMs(1, policy, () => 0)).toBe(500);
    expect(backoffMs(1, policy, () => 1)).toBe(1000);
    expect(backoffMs(3, policy, () => 1)).toBe(4000);
    expect(backoffMs(10, policy, () => 0.5)).toBe(7500);
  });
});
