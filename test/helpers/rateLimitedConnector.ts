import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ConnectorRule } from './connector';
import { bodyOf, closeLocally, listenLocally } from './localServer';
import { peakWithin } from './timing';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** At most `limit` requests in any `ms` milliseconds. */
export interface StandInWindow {
  limit: number;
  ms: number;
}

export interface RateLimitedConnectorOptions {
  /** Requests per second per tenant (Teams: 50). */
  tenantPerSecond?: number;
  /** Per conversation (the issue's: 7 a second and 60 in 30 seconds). */
  conversationWindows?: StandInWindow[];
  /** Delay before each answer, to imitate the service's latency. */
  latencyMs?: number;
  /** Answers calls that are neither sends, updates nor chat creations (e.g. rosterRule for the team's members); not rate limited. */
  otherCalls?: ConnectorRule;
}

export type StandInKind = 'create' | 'send' | 'update';

export interface StandInRequest {
  /** performance.now() when the request arrived. */
  at: number;
  kind: StandInKind;
  tenantId: string;
  /** The conversation sent into (send, update) or the one created (create). */
  conversationId?: string;
  /** The person a 1:1 chat was created with. */
  userId?: string;
  status: number;
}

export interface ForcedAnswer {
  status: number;
  /** The error code in the body (error.code), e.g. ConversationBlockedByUser. */
  code?: string;
  /** Sent as Retry-After (seconds). */
  retryAfterSeconds?: number;
  /** How many matching requests get this answer; unlimited when omitted. */
  times?: number;
}

interface Rule {
  match: (request: StandInRequest) => boolean;
  answer: ForcedAnswer;
  used: number;
}

/**
 * A local stand-in for the Bot Connector that enforces Teams' rate limits:
 * a request over the tenant's or the conversation's limit (sliding windows
 * over the moments requests arrive, counting the ones it accepted) is
 * answered 429 with a Retry-After. Creating a 1:1 chat counts against the
 * tenant and returns the same chat for the same person every time, as
 * Teams does. Rules answer chosen requests with errors (403, 404, 503, …).
 * It records every request and every message it accepted, so tests can
 * count duplicates and losses.
 */
export class RateLimitedConnector {
  readonly requests: StandInRequest[] = [];
  /** Accepted messages by conversation, in order. */
  readonly deliveries = new Map<string, Record<string, unknown>[]>();
  /** Created 1:1 chats by `tenant|user`. */
  readonly chats = new Map<string, string>();
  private readonly tenantLogs = new Map<string, number[]>();
  private readonly conversationLogs = new Map<string, number[]>();
  private readonly rules: Rule[] = [];
  private readonly tenantPerSecond: number;
  private readonly conversationWindows: StandInWindow[];
  readonly latencyMs: number;
  private readonly otherCalls: ConnectorRule | undefined;
  private server?: Server;
  private activityCounter = 0;

  constructor(options: RateLimitedConnectorOptions = {}) {
    this.tenantPerSecond = options.tenantPerSecond ?? 50;
    this.conversationWindows = options.conversationWindows ?? [
      { limit: 7, ms: 1_000 },
      { limit: 60, ms: 30_000 },
    ];
    this.latencyMs = options.latencyMs ?? 0;
    this.otherCalls = options.otherCalls;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('stand-in connector not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<this> {
    this.server = await listenLocally((req, res) => {
      this.handle(req, res).catch(() => {
        // A sender killed mid-request: nothing to answer.
        res.destroy();
      });
    }, 60_000);
    return this;
  }

  async stop(): Promise<void> {
    await closeLocally(this.server);
  }

  /** Answers matching requests (after the rate limits let them through) with `answer`. */
  failWhen(match: (request: StandInRequest) => boolean, answer: ForcedAnswer): void {
    this.rules.push({ match, answer, used: 0 });
  }

  /** Messages accepted in total. */
  get delivered(): number {
    let count = 0;
    for (const list of this.deliveries.values()) count += list.length;
    return count;
  }

  /** Requests answered 429 by the rate limits or a rule. */
  get throttled(): number {
    return this.requests.filter((request) => request.status === 429).length;
  }

  /** The most requests of one tenant that arrived within any `ms` window, among those answered other than 429 by the limits. */
  peakInWindow(tenantId: string, ms: number): number {
    return peakWithin(
      this.requests.filter((r) => r.tenantId === tenantId && r.status !== 429).map((r) => r.at),
      ms,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await bodyOf(req);
    const at = performance.now();
    const body = (text.length > 0 ? JSON.parse(text) : {}) as Record<string, unknown>;
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');

    let request: StandInRequest;
    const activities = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (req.method === 'POST' && path === '/v3/conversations') {
      const channelData = body.channelData as { tenant?: { id?: string } } | undefined;
      const members = body.members as { id?: string }[] | undefined;
      request = {
        at,
        kind: 'create',
        tenantId: typeof body.tenantId === 'string' ? body.tenantId : (channelData?.tenant?.id ?? ''),
        userId: members?.[0]?.id,
        status: 0,
      };
    } else if (activities && (req.method === 'POST' || req.method === 'PUT')) {
      const conversation = body.conversation as { tenantId?: string } | undefined;
      request = {
        at,
        kind: req.method === 'POST' ? 'send' : 'update',
        tenantId: String(conversation?.tenantId ?? ''),
        conversationId: activities[1],
        status: 0,
      };
    } else {
      const [, query = ''] = (req.url ?? '').split('?');
      const conversationId = /^\/v3\/conversations\/([^/]+)/.exec(path)?.[1];
      const other = this.otherCalls?.({
        method: req.method ?? 'GET',
        path,
        conversationId,
        query: Object.fromEntries(new URLSearchParams(query)),
        headers: req.headers,
        body,
        at,
      });
      if (other) {
        res.writeHead(other.status, { 'content-type': 'application/json', ...other.headers });
        res.end(JSON.stringify(other.body ?? {}));
        return;
      }
      return this.answer(res, { at, kind: 'send', tenantId: '', status: 404 }, 404, { error: { code: 'BadPath', message: path } });
    }

    const wait = this.admit(request);
    if (wait > 0) {
      const retryAfter = Math.max(1, Math.ceil(wait / 1000));
      return this.answer(res, request, 429, { error: { code: 'TooManyRequests', message: 'rate limit' } }, { 'retry-after': String(retryAfter) });
    }

    const rule = this.rules.find((candidate) => candidate.match(request) && (candidate.answer.times === undefined || candidate.used < candidate.answer.times));
    if (rule) {
      rule.used += 1;
      const headers: Record<string, string> = rule.answer.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.answer.retryAfterSeconds) } : {};
      return this.answer(
        res,
        request,
        rule.answer.status,
        { error: { ...(rule.answer.code !== undefined ? { code: rule.answer.code } : {}), message: 'forced by the test' } },
        headers,
      );
    }

    if (request.kind === 'create') {
      const key = `${request.tenantId}|${request.userId ?? ''}`;
      let id = this.chats.get(key);
      if (!id) {
        id = `a:chat-${this.chats.size + 1}`;
        this.chats.set(key, id);
      }
      request.conversationId = id;
      return this.answer(res, request, 201, { id });
    }
    if (request.kind === 'send') {
      const list = this.deliveries.get(request.conversationId!) ?? [];
      list.push(body);
      this.deliveries.set(request.conversationId!, list);
    }
    this.activityCounter += 1;
    return this.answer(res, request, 200, { id: `act-${this.activityCounter}` });
  }

  /** Counts the request against its tenant and conversation, or returns how long until it would fit. */
  private admit(request: StandInRequest): number {
    const tenantLog = this.tenantLogs.get(request.tenantId) ?? [];
    this.tenantLogs.set(request.tenantId, tenantLog);
    let wait = waitFor(tenantLog, request.at, { limit: this.tenantPerSecond, ms: 1_000 });
    let conversationLog: number[] | undefined;
    if (request.conversationId !== undefined) {
      conversationLog = this.conversationLogs.get(request.conversationId) ?? [];
      this.conversationLogs.set(request.conversationId, conversationLog);
      for (const window of this.conversationWindows) wait = Math.max(wait, waitFor(conversationLog, request.at, window));
    }
    if (wait > 0) return wait;
    tenantLog.push(request.at);
    conversationLog?.push(request.at);
    return 0;
  }

  private async answer(res: ServerResponse, request: StandInRequest, status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
    request.status = status;
    this.requests.push(request);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

/** 0 when one more request at `now` stays within the window, else the time until it would. */
function waitFor(log: number[], now: number, window: StandInWindow): number {
  // Requests strictly inside (now - ms, now]; the log is in order of arrival.
  let inside = 0;
  for (let index = log.length - 1; index >= 0 && log[index]! > now - window.ms; index--) inside += 1;
  if (inside < window.limit) return 0;
  // One more fits once the request `limit` places from the end has left the window.
  return log[log.length - window.limit]! + window.ms - now;
}
