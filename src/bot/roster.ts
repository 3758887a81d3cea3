import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Member } from '../domain/goalDialogueService';

/** Who is in the conversation's team (or chat), read from Teams during a turn. */
export interface Roster {
  members(context: TurnContext): Promise<Member[]>;
  /** The acting user's UPN (principals may be named by UPN only); undefined when Teams cannot tell. */
  upnOf(context: TurnContext): Promise<string | undefined>;
}

const PAGE_SIZE = 100;

/**
 * The team's roster through Teams' paged member calls: a large staff team
 * is read a page at a time rather than in one call that Teams may refuse.
 */
export const teamsRoster: Roster = {
  async members(context) {
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
  },

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
