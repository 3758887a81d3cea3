import { ConnectorError, type ConnectorPort, type ConversationTarget, type OutgoingActivity, type PersonTarget } from './connector';

export interface HttpConnectorOptions {
  /** A bearer token for the Bot Connector; undefined in local mode (no BOT_ID). */
  tokenProvider?: () => Promise<string | undefined>;
  /** Per request; a request that takes longer fails as a network error. Default 15 s. */
  timeoutMs?: number;
}

/**
 * The Bot Connector REST API (Bot Framework v3), one HTTP request per call
 * and no retries inside: the sender decides about retries and counts every
 * attempt. botbuilder's ConnectorClient retries 429/5xx on its own, which
 * would hide attempts and double the rate-limit arithmetic.
 */
export function createHttpConnector(options: HttpConnectorOptions = {}): ConnectorPort {
  const timeoutMs = options.timeoutMs ?? 15000;

  async function call(method: 'POST' | 'PUT', url: string, body: unknown): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const token = await options.tokenProvider?.();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ConnectorError(`Bot Connector unreachable: ${describe(error)}`, undefined, networkCode(error));
    }
    const text = await response.text().catch(() => '');
    const json = parseJson(text);
    if (!response.ok) {
      const serviceError = (json.error ?? {}) as { code?: unknown; message?: unknown };
      throw new ConnectorError(
        `Bot Connector answered ${response.status}${typeof serviceError.message === 'string' ? `: ${serviceError.message}` : ''}`,
        response.status,
        typeof serviceError.code === 'string' ? serviceError.code : undefined,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    return json;
  }

  return {
    async send(target: ConversationTarget, activity: OutgoingActivity) {
      const body = await call('POST', `${base(target.serviceUrl)}v3/conversations/${encodeURIComponent(target.conversationId)}/activities`, {
        ...activity,
        conversation: { id: target.conversationId, tenantId: target.tenantId },
      });
      return { activityId: typeof body.id === 'string' ? body.id : '' };
    },

    async update(target: ConversationTarget, activityId: string, activity: OutgoingActivity) {
      const path = `v3/conversations/${encodeURIComponent(target.conversationId)}/activities/${encodeURIComponent(activityId)}`;
      await call('PUT', `${base(target.serviceUrl)}${path}`, {
        ...activity,
        id: activityId,
        conversation: { id: target.conversationId, tenantId: target.tenantId },
      });
    },

    async createPersonalConversation(target: PersonTarget) {
      const body = await call('POST', `${base(target.serviceUrl)}v3/conversations`, {
        isGroup: false,
        bot: { id: target.botId },
        members: [{ id: target.userId }],
        tenantId: target.tenantId,
        channelData: { tenant: { id: target.tenantId } },
      });
      if (typeof body.id !== 'string' || !body.id) {
        throw new ConnectorError('Bot Connector created a conversation without an id', 502, 'NoConversationId');
      }
      return { conversationId: body.id };
    },
  };
}

function base(serviceUrl: string): string {
  return serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
}

function parseJson(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: Date = new Date()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** The network error's code (ECONNREFUSED, ETIMEDOUT, …); fetch puts it on the cause. */
function networkCode(error: unknown): string {
  // Duck-typed: errors from fetch may come from another realm than this module's Error.
  const failure = error as { name?: unknown; code?: unknown; cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined;
  if (failure?.name === 'TimeoutError' || failure?.name === 'AbortError') return 'ETIMEDOUT';
  const code = failure?.cause?.code ?? failure?.cause?.errors?.[0]?.code ?? failure?.code;
  return typeof code === 'string' ? code : 'NETWORK';
}

function describe(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
