import type { ConversationRef, ConversationRepository } from '../domain/conversations';

/**
 * Every incoming activity carries the conversation's reference (service URL,
 * ids, locale); it is stored only when it is new or changed since this
 * process last stored it, instead of on every activity.
 *
 * Safe for concurrent turns: a write is remembered only when no other write
 * of the same conversation overlapped it (two overlapping writes may land in
 * either order, so neither is remembered and the next activity writes
 * again). A remembered write is trusted for REMEMBER_MS only, because
 * another instance may change the row (mark it inactive after a 403); an
 * install or uninstall always writes. So a stale memory may cost a write,
 * and can hide another instance's change for at most REMEMBER_MS.
 */
const REMEMBER_MS = 10 * 60_000;
/** Conversations remembered at most; the oldest is forgotten first. */
const MAX_REMEMBERED = 10_000;

interface Remembered {
  /** What was last written, without its timestamp; undefined while overlapping writes make it unknown. */
  written?: string;
  at: number;
  inFlight: number;
  overlapped: boolean;
}

export class ConversationRefs {
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly conversations: Pick<ConversationRepository, 'save'>) {}

  /** Stores the reference unless this process stored the same one lately; `always` for installs. */
  async refresh(ref: ConversationRef, now: Date, always: boolean): Promise<void> {
    const key = `${ref.tenantId}|${ref.conversationId}`;
    const { updatedAt: _updatedAt, ...content } = ref;
    const written = JSON.stringify(content);
    const entry = this.remembered.get(key);
    if (!always && entry && entry.inFlight === 0 && entry.written === written && now.getTime() - entry.at < REMEMBER_MS) return;
    const current = entry ?? { at: 0, inFlight: 0, overlapped: false };
    if (current.inFlight > 0) current.overlapped = true;
    current.inFlight++;
    this.remember(key, current);
    let saved = false;
    try {
      await this.conversations.save(ref);
      saved = true;
    } finally {
      current.inFlight--;
      current.written = saved && !current.overlapped ? written : undefined;
      current.at = now.getTime();
      if (current.inFlight === 0) current.overlapped = false;
    }
  }

  /** After the reference was changed another way (uninstall): the next activity writes it again. */
  forget(tenantId: string, conversationId: string): void {
    this.remembered.delete(`${tenantId}|${conversationId}`);
  }

  private remember(key: string, entry: Remembered): void {
    this.remembered.delete(key);
    this.remembered.set(key, entry);
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }
}
