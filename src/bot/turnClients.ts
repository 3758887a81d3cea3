/**
 * The clients a turn is given, made once and reused: botbuilder's adapter
 * builds a connector client (to reply) and a user token client for every
 * activity, each with an HTTP pipeline of its own (about 4 % of the bot's
 * busy time in a profile of goal steps; README, performance). Both hold nothing of
 * a turn: the bot's id, the credentials for it (whose tokens are cached by
 * the credentials factory anyway), and the service URL and audience they
 * call. So one per bot id, service URL and audience serves every turn, as
 * botbuilder's older BotFrameworkAdapter kept them.
 *
 * The service URLs of a deployment are a handful (Teams' regional
 * endpoints); in case a caller brings more, the cache starts over when it
 * holds MAX_CLIENTS.
 */

const MAX_CLIENTS = 64;

/** Claims as botbuilder's ClaimsIdentity gives them. */
export interface Claims {
  getClaimValue(type: string): string | null;
}

/** A client made once per key; a make that fails is not kept, so the next turn tries again. */
export class ReusedClients<T> {
  private readonly made = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    let client = this.made.get(key);
    if (!client) {
      if (this.made.size >= MAX_CLIENTS) this.made.clear();
      client = make();
      this.made.set(key, client);
      client.catch(() => {
        if (this.made.get(key) === client) this.made.delete(key);
      });
    }
    return client;
  }
}

/**
 * The bot id the clients act for, as botbuilder finds it: a channel's
 * token names it as its audience, the Emulator's as `appid`; local mode
 * has neither.
 */
export function appIdOf(claims: Claims): string {
  return claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';
}
