/**
 * What the proactive engine needs from the Bot Connector service: one HTTP
 * request per call, never retried inside, so that the sender's attempt
 * counts are honest and its rate limits are the only ones in play.
 */

/** An activity as plain JSON, as the Bot Connector takes it. */
export interface OutgoingActivity {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain' | 'xml';
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
  channelData?: Record<string, unknown>;
}

/** An existing conversation: a personal chat, a team channel or a group chat. */
export interface ConversationTarget {
  serviceUrl: string;
  tenantId: string;
  conversationId: string;
}

/** A person to reach in a 1:1 chat that may not exist yet. */
export interface PersonTarget {
  serviceUrl: string;
  tenantId: string;
  /** The Teams user id (29:…) from the roster. */
  userId: string;
  /** The bot's own id in that tenant (28:…). */
  botId: string;
}

export interface ConnectorPort {
  /** Posts a new activity; resolves with the id the service gave it. */
  send(target: ConversationTarget, activity: OutgoingActivity): Promise<{ activityId: string }>;
  /** Replaces an activity the bot sent earlier (a card updated in place). */
  update(target: ConversationTarget, activityId: string, activity: OutgoingActivity): Promise<void>;
  /** Creates (or, as Teams does, returns the existing) 1:1 chat with a person. */
  createPersonalConversation(target: PersonTarget): Promise<{ conversationId: string }>;
}

/**
 * A failed connector call. `status` is the HTTP status (undefined for a
 * network error); `code` is the service's error code (e.g.
 * ConversationBlockedByUser) or the network error's code (e.g. ECONNRESET).
 */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    /** From a Retry-After header, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
