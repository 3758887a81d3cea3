import { z } from 'zod';
import type { ConversationRef, ConversationRepository } from '../domain/conversations';
import type { CreatedPersonalConversation, PersonalConversationStore } from '../proactive/outboxRepository';
import { isAppError } from '../domain/errors';
import { retryOnStale } from '../domain/optimistic';
import { EntityTable } from './tables';
import type { TableClient } from '@azure/data-tables';

const refSchema = z.object({
  tenantId: z.string(),
  conversationId: z.string(),
  kind: z.enum(['personal', 'channel', 'groupChat']),
  serviceUrl: z.string(),
  channelId: z.string(),
  botId: z.string(),
  userId: z.string().optional(),
  aadObjectId: z.string().optional(),
  teamId: z.string().optional(),
  teamsChannelId: z.string().optional(),
  locale: z.string().optional(),
  active: z.boolean(),
  updatedAt: z.string(),
});

const welcomeSchema = z.object({ welcomedAt: z.string() });
const personalChatSchema = z.object({ conversationId: z.string(), updatedAt: z.string() });

/**
 * References: partition = tenant, row = conversation id. Welcome markers live
 * in partitions of their own ("welcome:" + tenant), so a tenant's references
 * can be listed without them. Each person's 1:1 chat is also found by their
 * Teams user id ("user:" + tenant, row = user id), so that the proactive
 * sender creates a person's chat only once.
 */
const WELCOME_PARTITION = 'welcome:';
const USER_PARTITION = 'user:';

export class ConversationTable implements ConversationRepository, PersonalConversationStore {
  private readonly refs: EntityTable<typeof refSchema>;
  private readonly welcomes: EntityTable<typeof welcomeSchema>;
  private readonly personalChats: EntityTable<typeof personalChatSchema>;

  constructor(client: TableClient) {
    this.refs = new EntityTable(client, refSchema);
    this.welcomes = new EntityTable(client, welcomeSchema);
    this.personalChats = new EntityTable(client, personalChatSchema);
  }

  async save(ref: ConversationRef): Promise<void> {
    await this.refs.upsert(ref.tenantId, ref.conversationId, refSchema.parse(ref));
    if (ref.kind === 'personal' && ref.userId) {
      await this.personalChats.upsert(USER_PARTITION + ref.tenantId, ref.userId, { conversationId: ref.conversationId, updatedAt: ref.updatedAt });
    }
  }

  /** The person's 1:1 chat with the bot, unless it is unknown or was uninstalled. */
  async find(tenantId: string, userId: string): Promise<string | undefined> {
    const chat = (await this.personalChats.get(USER_PARTITION + tenantId, userId))?.value;
    if (!chat) return undefined;
    const ref = await this.get(tenantId, chat.conversationId);
    return ref && !ref.active ? undefined : chat.conversationId;
  }

  /** A 1:1 chat the sender created: kept as a conversation reference like any other. */
  async remember(created: CreatedPersonalConversation): Promise<void> {
    await this.save(createdRef(created));
  }

  /** The same for many chats: the references and the person index each in transactions of one tenant's partition. */
  async rememberMany(created: readonly CreatedPersonalConversation[]): Promise<void> {
    const byTenant = new Map<string, (ConversationRef & { userId: string })[]>();
    for (const chat of created) byTenant.set(chat.tenantId, [...(byTenant.get(chat.tenantId) ?? []), createdRef(chat)]);
    await Promise.all(
      [...byTenant].map(async ([tenantId, refs]) => {
        await this.refs.upsertMany(
          tenantId,
          refs.map((ref) => ({ rowKey: ref.conversationId, value: refSchema.parse(ref) })),
        );
        await this.personalChats.upsertMany(
          USER_PARTITION + tenantId,
          refs.map((ref) => ({ rowKey: ref.userId, value: { conversationId: ref.conversationId, updatedAt: ref.updatedAt } })),
        );
      }),
    );
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationRef | undefined> {
    return (await this.refs.get(tenantId, conversationId))?.value;
  }

  async markInactive(tenantId: string, conversationId: string, at: Date): Promise<void> {
    // Read-modify-write under the row's ETag; again when another turn refreshed it meanwhile.
    await retryOnStale('conversation reference', async () => {
      const stored = await this.refs.get(tenantId, conversationId);
      if (!stored) return;
      await this.refs.replace(tenantId, conversationId, { ...stored.value, active: false, updatedAt: at.toISOString() }, stored.eTag);
    });
  }

  async claimWelcome(tenantId: string, conversationId: string, at: Date): Promise<boolean> {
    try {
      await this.welcomes.insert(WELCOME_PARTITION + tenantId, conversationId, { welcomedAt: at.toISOString() });
      return true;
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) return false;
      throw error;
    }
  }

  async releaseWelcome(tenantId: string, conversationId: string): Promise<void> {
    await this.welcomes.delete(WELCOME_PARTITION + tenantId, conversationId);
  }
}

function createdRef(created: CreatedPersonalConversation): ConversationRef & { userId: string } {
  return {
    tenantId: created.tenantId,
    conversationId: created.conversationId,
    kind: 'personal',
    serviceUrl: created.serviceUrl,
    channelId: 'msteams',
    botId: created.botId,
    userId: created.userId,
    ...(created.aadObjectId ? { aadObjectId: created.aadObjectId } : {}),
    active: true,
    updatedAt: created.createdAt,
  };
}
