import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyOf, closeLocally, listenLocally } from './localServer';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId?: string;
  /** The query string's parameters (e.g. pageSize and continuationToken of a roster page). */
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  /** The request's headers (the bot's bearer token is in `authorization`). */
  headers: IncomingHttpHeaders;
  at: number;
}

export type ConnectorRule = (call: ConnectorCall) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/**
 * A local stand-in for the Bot Connector service: it records what the bot
 * sends and answers like the real one (ids for sent activities, created
 * conversations). Rules can answer chosen calls with errors.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly rules: ConnectorRule[] = [];
  private server?: Server;
  private counter = 0;
  private waiters: { predicate: (call: ConnectorCall) => boolean; resolve: (call: ConnectorCall) => void }[] = [];

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('connector not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<this> {
    this.server = await listenLocally((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await closeLocally(this.server);
  }

  addRule(rule: ConnectorRule): void {
    this.rules.push(rule);
  }

  /** Messages the bot sent (replies and new activities), in order. */
  sentActivities(conversationId?: string): Record<string, unknown>[] {
    return this.calls
      .filter((call) => call.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(call.path))
      .filter((call) => conversationId === undefined || call.conversationId === conversationId)
      .map((call) => call.body ?? {});
  }

  waitFor(predicate: (call: ConnectorCall) => boolean, timeoutMs = 5000): Promise<ConnectorCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a connector call')), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await bodyOf(req);
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const match = /^\/v3\/conversations\/([^/]+)/.exec(path);
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path,
      conversationId: match?.[1],
      query: Object.fromEntries(new URL(req.url ?? '/', 'http://local').searchParams),
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      headers: req.headers,
      at: Date.now(),
    };
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(call)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
    for (const rule of this.rules) {
      const answer = rule(call);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        return;
      }
    }
    this.counter += 1;
    const creates = call.method === 'POST' && path === '/v3/conversations';
    const body = creates ? { id: createdConversationId(call.body, this.counter), activityId: `act-${this.counter}` } : { id: `act-${this.counter}` };
    res.writeHead(creates ? 201 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/**
 * The conversation a creation answers with. As in Teams, a person and the bot
 * have one 1:1 chat: creating it again, or creating it after the person wrote
 * there, answers with that chat (`a:personal-<user id>`, the id the test
 * activities use). Anything else is a new conversation.
 */
function createdConversationId(body: Record<string, unknown> | undefined, counter: number): string {
  const members = Array.isArray(body?.members) ? (body.members as { id?: unknown }[]) : [];
  const only = members.length === 1 ? members[0]?.id : undefined;
  return body?.isGroup !== true && typeof only === 'string' ? `a:personal-${only}` : `a:created-${counter}`;
}
