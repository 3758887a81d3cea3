import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Member } from '../domain/goalDialogueService';

/** Who is in the conversation's team (or chat), read from Teams during a turn. */
export interface Roster {
  members(context: TurnContext): Promise<Member[]>;
  /**
   * The roster as read at most a short while ago, for answers that must come
   * within a second (a picker searched as someone types): a large team is
   * several paged calls to Teams. Without it, `members` is read each time.
   */
  recentMembers?(context: TurnContext): Promise<Member[]>;
  /** The acting user's UPN (principals may be named by UPN only); undefined when Teams cannot tell. */
  upnOf(context: TurnContext): Promise<string | undefined>;
}

const PAGE_SIZE = 100;

/** How long a roster read from Teams answers searches: long enough for typing a name, short enough that a newcomer is soon found. */
export const ROSTER_CACHE_MS = 60_000;
/** Rosters kept at once (one per team or chat searched in the last minute); the oldest goes first. */
const ROSTER_CACHE_ENTRIES = 200;

/** The team (or, outside a team, the chat) whose roster a turn reads: every channel and thread of a team shares one. */
export function rosterKeyOf(context: TurnContext): string {
  const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  return teamId ? `team:${teamId}` : `chat:${(context.activity.conversation?.id ?? '').split(';')[0]}`;
}

/**
 * Remembers `load`'s roster per team or chat for `ttlMs`. Searches typed
 * at once share one read; a read that fails is not remembered. A cache,
 * not state: another instance of the bot reads its own.
 */
export function rosterCache(
  load: (context: TurnContext) => Promise<Member[]>,
  options: { ttlMs: number; maxEntries: number; now: () => number },
): (context: TurnContext) => Promise<Member[]> {
  const entries = new Map<string, { at: number; members: Promise<Member[]> }>();
  return (context) => {
    const key = `${context.activity.conversation?.tenantId ?? ''}|${rosterKeyOf(context)}`;
    const now = options.now();
    const cached = entries.get(key);
    if (cached && now - cached.at < options.ttlMs) return cached.members;
    entries.delete(key);
    const members = load(context);
    entries.set(key, { at: now, members });
    members.catch(() => {
      if (entries.get(key)?.members === members) entries.delete(key);
    });
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    return members;
  };
}

/**
 * The team's roster through Teams' paged member calls: a large staff team
 * is read a page at a time rather than in one call that Teams may refuse.
 */
export const teamsRoster: Roster = {
  members: readTeamsRoster,
  recentMembers: rosterCache(readTeamsRoster, { ttlMs: ROSTER_CACHE_MS, maxEntries: ROSTER_CACHE_ENTRIES, now: Date.now }),

  async upnOf(context) {
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      return member.userPrincipalName ?? member.email ?? undefined;
    } catch {
      // Not every conversation can answer (e.g. a chat the bot was just removed from).
      return undefined;
    }
  },
};

async function readTeamsRoster(context: TurnContext): Promise<Member[]> {
  const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  const members: Member[] = [];
  let continuationToken: string | undefined;
  do {
    const page = teamId
      ? await TeamsInfo.getPagedTeamMembers(context, teamId, PAGE_SIZE, continuationToken)
      : await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    for (const account of page.members) {
      if (!account.aadObjectId) continue;
      members.push({
        aadObjectId: account.aadObjectId,
        userId: account.id,
        name: account.name,
        givenName: account.givenName,
        upn: account.userPrincipalName ?? account.email,
      });
    }
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken);
  return members;
}
