import type { Logger } from '../logger';
import type { CreatedPersonalConversation, PersonalConversationStore } from './outboxRepository';

/**
 * The 1:1 chats a sender created, kept as conversation references in
 * batches off the sending path: a created chat is queued here and written
 * with the others of the next moment (one transaction per table partition,
 * i.e. per tenant), instead of two writes per invitation while the
 * invitation waits.
 *
 * Nothing depends on the write for correctness: the recipient row records
 * the chat it was sent into, and a chat whose reference was never written
 * (a crash before the flush) is created again by a later job, which Teams
 * answers with the same chat. Until a queued chat is written, `find` answers
 * from the queue, so a second message to the person in the meantime does
 * not create the chat again either.
 */

/** A queued chat is written at most this long after it was created… */
const FLUSH_AFTER_MS = 250;
/** …or at once when this many are waiting (one transaction holds 100 rows). */
const FLUSH_ROWS = 100;

export class ChatMemory implements PersonalConversationStore {
  private readonly queued = new Map<string, CreatedPersonalConversation>();
  /** Taken from the queue by a flush, until stored. */
  private readonly beingWritten = new Map<string, CreatedPersonalConversation>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PersonalConversationStore,
    private readonly log: Logger,
  ) {}

  async find(tenantId: string, userId: string): Promise<string | undefined> {
    const key = keyOf(tenantId, userId);
    return (this.queued.get(key) ?? this.beingWritten.get(key))?.conversationId ?? (await this.store.find(tenantId, userId));
  }

  /** Queues the chat; it is written within FLUSH_AFTER_MS. */
  async remember(conversation: CreatedPersonalConversation): Promise<void> {
    this.queued.set(keyOf(conversation.tenantId, conversation.userId), conversation);
    if (this.queued.size >= FLUSH_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  async rememberMany(conversations: readonly CreatedPersonalConversation[]): Promise<void> {
    for (const conversation of conversations) await this.remember(conversation);
  }

  /** Writes what is queued (after any write under way); resolves when it is stored or the failure logged. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.queued.values()];
    for (const [key, conversation] of this.queued) this.beingWritten.set(key, conversation);
    this.queued.clear();
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.store.rememberMany(batch);
      } catch (error) {
        // Not fatal: the rows have the chats' ids; a later job finds no chat and Teams returns the same one.
        this.log.warn({ err: error, chats: batch.length }, 'outbox: remembering created chats failed');
      }
      // Written (or given up): the store answers for them from now on.
      for (const conversation of batch) {
        const key = keyOf(conversation.tenantId, conversation.userId);
        if (this.beingWritten.get(key) === conversation) this.beingWritten.delete(key);
      }
    });
    return this.writing;
  }
}

function keyOf(tenantId: string, userId: string): string {
  return `${tenantId}\n${userId}`;
}
