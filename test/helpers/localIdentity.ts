import { createHmac, createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyOf, closeLocally, listenLocally } from './localServer';

/** The issuer of the local channel's tokens (as https://api.botframework.com is Teams'). */
export const LOCAL_CHANNEL_ISSUER = 'https://channel.malbild.test';

export interface TokenRequest {
  path: string;
  /** The form fields of a client-credentials request, or the query of a managed-identity request. */
  fields: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A local stand-in for the identity side of the Bot Framework, on 127.0.0.1:
 * the channel's OpenID metadata and signing keys (JWKS) for inbound tokens,
 * a token endpoint that issues the bot's outbound tokens
 * (`/<tenant>/oauth2/v2.0/token`, client credentials), and App Service's
 * managed-identity endpoint (`/msi/token`). Tokens are signed with
 * node:crypto; nothing here reaches the network.
 */
export class LocalIdentity {
  readonly keyId = 'local-key-1';
  readonly tokenRequests: TokenRequest[] = [];
  /** Served to the bot, as the Bot Framework's login service would. */
  readonly issuedToken = `outbound-${randomUUID()}`;
  readonly managedIdentityToken = `msi-${randomUUID()}`;
  readonly managedIdentityHeader = `identity-header-${randomUUID()}`;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private server?: Server;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('identity not started');
    return `http://127.0.0.1:${address.port}`;
  }

  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** The bot's login URL (authority); its token endpoint is `<loginUrl>/oauth2/v2.0/token`. */
  get loginUrl(): string {
    return `${this.url}/botframework.com`;
  }

  get managedIdentityEndpoint(): string {
    return `${this.url}/msi/token`;
  }

  /** The public key as PEM: what an HS256 forgery would use as its "secret". */
  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  async start(): Promise<this> {
    this.server = await listenLocally((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await closeLocally(this.server);
  }

  /** A channel token as Teams would send it: RS256 with the published key, claims overridable (undefined removes one). */
  channelToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = dropUndefined({ iss: LOCAL_CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, iat: now - 60, ...claims });
    return this.sign({ alg: 'RS256', typ: 'JWT', kid: this.keyId, ...header }, payload);
  }

  /** RS256 with a key that is not published (a forgery with a good-looking kid). */
  tokenSignedByStranger(claims: Record<string, unknown>): string {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const now = Math.floor(Date.now() / 1000);
    const header = encode({ alg: 'RS256', typ: 'JWT', kid: this.keyId });
    const body = encode({ iss: LOCAL_CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, ...claims });
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(stranger).toString('base64url');
    return `${header}.${body}.${signature}`;
  }

  /** HS256 with the published public key as the HMAC secret: the classic algorithm confusion. */
  tokenHs256WithPublicKey(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = encode({ alg: 'HS256', typ: 'JWT', kid: this.keyId });
    const body = encode({ iss: LOCAL_CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, ...claims });
    const signature = createHmac('sha256', this.publicKeyPem).update(`${header}.${body}`).digest('base64url');
    return `${header}.${body}.${signature}`;
  }

  /** `alg: none`, no signature (with the published key's id, so only the algorithm gives it away). */
  unsignedToken(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    return `${encode({ alg: 'none', typ: 'JWT', kid: this.keyId })}.${encode({ iss: LOCAL_CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, ...claims })}.`;
  }

  private sign(header: Record<string, unknown>, payload: Record<string, unknown>): string {
    const signed = `${encode(header)}.${encode(payload)}`;
    return `${signed}.${createSign('RSA-SHA256').update(signed).sign(this.privateKey).toString('base64url')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await bodyOf(req);
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/v1/.well-known/openidconfiguration') {
      return json(200, { issuer: LOCAL_CHANNEL_ISSUER, jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (url.pathname === '/v1/.well-known/keys') {
      const jwk = this.publicKey.export({ format: 'jwk' });
      return json(200, { keys: [{ ...jwk, kid: this.keyId, use: 'sig', endorsements: ['msteams'] }] });
    }
    if (req.method === 'POST' && url.pathname.endsWith('/oauth2/v2.0/token')) {
      const fields = Object.fromEntries(new URLSearchParams(text));
      this.tokenRequests.push({ path: url.pathname, fields, headers: req.headers });
      return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.issuedToken });
    }
    if (url.pathname === '/msi/token') {
      this.tokenRequests.push({ path: url.pathname, fields: Object.fromEntries(url.searchParams), headers: req.headers });
      if (req.headers['x-identity-header'] !== this.managedIdentityHeader) return json(401, { error: 'unauthorized' });
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      return json(200, {
        access_token: this.managedIdentityToken,
        expires_on: String(expiresOn),
        resource: url.searchParams.get('resource') ?? '',
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id') ?? '',
      });
    }
    json(404, { error: 'not found' });
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}
