import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';

/**
 * Checks the channel's bearer token on an incoming request before botbuilder
 * sees it. botbuilder's own validator answers a bad token with 500 and the
 * library's message, and writes the token's failure (and the signing keys)
 * to the console; this one decides quietly, so a bad token costs one log
 * line and a 401. botbuilder still validates the tokens that pass here.
 *
 * The rules are the Bot Framework's for tokens from a channel
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication):
 * RS256/384/512 signed with a key from the channel's OpenID metadata; `iss`
 * the channel's issuer; `aud` the bot's app id; within `nbf`/`exp` with five
 * minutes of clock skew; `serviceurl` the activity's service URL; the key
 * endorsed for the activity's channel. Tokens from the Emulator or from
 * another bot (skills) have other issuers and are refused: Teams sends
 * neither.
 */

const ALGORITHMS: Readonly<Record<string, string>> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
const CLOCK_SKEW_SECONDS = 5 * 60;
/** Keys are fetched again after this long, as botbuilder does. */
const KEYS_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** An unknown key id refetches the keys (they roll over), but not more often than this. */
const UNKNOWN_KEY_REFETCH_MS = 5 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

export interface ChannelTokenSettings {
  readonly appId: string;
  readonly openIdMetadataUrl: string;
  readonly tokenIssuer: string;
}

export type TokenVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

const headerSchema = z.object({ alg: z.string(), kid: z.string().min(1) });
const claimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
  serviceurl: z.string().optional(),
});
const metadataSchema = z.object({ jwks_uri: z.string().url() });
const jwksSchema = z.object({
  keys: z.array(
    z.object({ kid: z.string().optional(), kty: z.string(), n: z.string().optional(), e: z.string().optional(), endorsements: z.array(z.string()).optional() }),
  ),
});

interface SigningKey {
  readonly key: KeyObject;
  readonly endorsements: readonly string[];
}

class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export class ChannelTokenValidator {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = 0;
  private fetching?: Promise<void>;

  constructor(
    private readonly settings: ChannelTokenSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The verdict on an `Authorization` header for an activity; never throws. */
  async check(authorization: string | undefined, activity: { channelId?: unknown; serviceUrl?: unknown }): Promise<TokenVerdict> {
    try {
      await this.verify(authorization ?? '', activity);
      return { ok: true };
    } catch (error) {
      if (error instanceof Refused) return { ok: false, status: 401, reason: error.reason };
      return { ok: false, status: 503, reason: `the channel's signing keys could not be loaded: ${describe(error)}` };
    }
  }

  private async verify(authorization: string, activity: { channelId?: unknown; serviceUrl?: unknown }): Promise<void> {
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw new Refused(authorization ? 'not a bearer JWT' : 'no token');
    const [, encodedHeader = '', encodedClaims = '', encodedSignature = ''] = match;
    const header = headerSchema.safeParse(decodeJson(encodedHeader));
    if (!header.success) throw new Refused('token header without alg or kid');
    const hash = ALGORITHMS[header.data.alg];
    if (!hash) throw new Refused(`signing algorithm ${header.data.alg} not allowed`);
    const claims = claimsSchema.safeParse(decodeJson(encodedClaims));
    if (!claims.success) throw new Refused('token claims missing or malformed');
    // The issuer first: a token meant for someone else costs no key lookup.
    if (claims.data.iss !== this.settings.tokenIssuer) throw new Refused('issuer is not the channel');

    const signingKey = await this.keyFor(header.data.kid);
    if (!signingKey) throw new Refused('unknown signing key');
    const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
    if (!verify(hash, signed, signingKey.key, Buffer.from(encodedSignature, 'base64url'))) throw new Refused('bad signature');

    const nowSeconds = this.now() / 1000;
    if (claims.data.exp + CLOCK_SKEW_SECONDS < nowSeconds) throw new Refused('token expired');
    if (claims.data.nbf !== undefined && claims.data.nbf - CLOCK_SKEW_SECONDS > nowSeconds) throw new Refused('token not yet valid');
    if (claims.data.aud !== this.settings.appId) throw new Refused('audience is not this bot');
    if (typeof activity.serviceUrl === 'string' && claims.data.serviceurl !== activity.serviceUrl) {
      throw new Refused('serviceurl claim does not match the activity');
    }
    const channelId = typeof activity.channelId === 'string' ? activity.channelId : '';
    if (channelId && signingKey.endorsements.length > 0 && !signingKey.endorsements.includes(channelId)) {
      throw new Refused('signing key not endorsed for the channel');
    }
  }

  private async keyFor(kid: string): Promise<SigningKey | undefined> {
    const age = this.now() - this.fetchedAt;
    if (age > KEYS_LIFETIME_MS || (!this.keys.has(kid) && age > UNKNOWN_KEY_REFETCH_MS)) await this.refresh();
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.fetching ??= this.load().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async load(): Promise<void> {
    const metadata = metadataSchema.parse(await fetchJson(this.settings.openIdMetadataUrl));
    const jwks = jwksSchema.parse(await fetchJson(metadata.jwks_uri));
    const keys = new Map<string, SigningKey>();
    for (const jwk of jwks.keys) {
      if (jwk.kty !== 'RSA' || !jwk.kid || !jwk.n || !jwk.e) continue;
      keys.set(jwk.kid, { key: createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }), endorsements: jwk.endorsements ?? [] });
    }
    this.keys = keys;
    this.fetchedAt = this.now();
  }
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
