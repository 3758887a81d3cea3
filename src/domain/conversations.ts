/**
 * Where the bot can speak later: one stored reference per personal chat,
 * team channel and group chat it is installed in.
 */
export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export interface ConversationRef {
  tenantId: string;
  conversationId: string;
  kind: ConversationKind;
  serviceUrl: string;
  channelId: string;
  botId: string;
  /** The Teams user id (29:…) in a personal chat. */
  userId?: string;
  /** The user's Entra (AAD) object id in a personal chat. */
  aadObjectId?: string;
  /** The team's id (19:…@thread…) for channel conversations. */
  teamId?: string;
  /** The channel's id within the team, for channel conversations. */
  teamsChannelId?: string;
  locale?: string;
  /** False after uninstall (or, later, a permanent 403). */
  active: boolean;
  updatedAt: string;
}

export interface ConversationRepository {
  /** Creates or refreshes a reference (service URL and ids change over time). */
  save(ref: ConversationRef): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<ConversationRef | undefined>;
  markInactive(tenantId: string, conversationId: string, at: Date): Promise<void>;
  /**
   * True for exactly one caller per installation: the welcome is sent once even
   * when Teams reports the install twice (conversationUpdate and
   * installationUpdate) to two instances at once.
   */
  claimWelcome(tenantId: string, conversationId: string, at: Date): Promise<boolean>;
  /** After uninstall, so that a later install is welcomed again. */
  releaseWelcome(tenantId: string, conversationId: string): Promise<void>;
}
