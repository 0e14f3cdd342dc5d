/**
 * Who is calling: sessions (cookie) and API tokens (bearer), both stored only as sha256
 * hashes. Logging out revokes the session server-side, so forward-auth stops at once.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LoginRateLimiter } from '../auth/login-rate-limiter.js';
import { DUMMY_HASH, verifyPassword } from '../auth/password-hash.js';
import {
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../domain/errors.js';
import type { ApiTokenRecord, UserRecord } from '../domain/records.js';
import type { Store } from '../domain/store-port.js';

export interface Actor {
  user: UserRecord;
  /** Hash of the session used, when authenticated by cookie. */
  sessionId?: string;
  tokenId?: string;
}

export const SESSION_TTL_MS = 7 * 24 * 3600_000;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export class AuthService {
  readonly limiter = new LoginRateLimiter();

  constructor(private readonly store: Store) {}

  /** Verifies a login; returns the session token to put in the cookie. */
  async login(
    username: string,
    password: string,
    client: string,
  ): Promise<{ token: string; user: UserRecord; expiresAt: string }> {
    const wait = this.limiter.retryAfter(username, client);
    if (wait > 0)
      throw new RateLimitedError(`too many failed logins; try again in ${wait} s`, wait);
    const user = await this.store.getUserByUsername(username);
    // Hash even for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.limiter.recordFailure(username, client);
      await this.store.audit({
        actor: username,
        action: 'auth.login_failed',
        target: null,
        detail: { client },
      });
      throw new UnauthenticatedError(
        user?.disabled && ok ? 'this account is disabled' : 'wrong username or password',
      );
    }
    this.limiter.recordSuccess(username);
    const token = newSecret('ses_');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
    await this.store.createSession({ id: sha256(token), userId: user.id, expiresAt });
    await this.store.audit({
      actor: user.username,
      action: 'auth.login',
      target: null,
      detail: { client },
    });
    return { token, user, expiresAt };
  }

  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.store.revokeSession(actor.sessionId);
    await this.store.audit({
      actor: actor.user.username,
      action: 'auth.logout',
      target: null,
      detail: {},
    });
  }

  /** The actor for a session cookie or bearer token, or undefined. */
  async authenticate(credentials: {
    sessionToken?: string;
    bearerToken?: string;
  }): Promise<Actor | undefined> {
    if (credentials.bearerToken) {
      const token = await this.store.getApiTokenByHash(sha256(credentials.bearerToken));
      if (!token || token.revokedAt) return undefined;
      const user = await this.store.getUser(token.userId);
      if (!user || user.disabled) return undefined;
      void this.store.touchApiToken(token.id).catch(() => {});
      return { user, tokenId: token.id };
    }
    if (credentials.sessionToken) {
      const id = sha256(credentials.sessionToken);
      const session = await this.store.getSession(id);
      if (!session || session.revokedAt || Date.parse(session.expiresAt) < Date.now())
        return undefined;
      const user = await this.store.getUser(session.userId);
      if (!user || user.disabled) return undefined;
      return { user, sessionId: id };
    }
    return undefined;
  }

  /** Creates an API token; the token itself is returned once and never stored. */
  async createApiToken(
    actor: Actor,
    name: string,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    if (!/^[\w .-]{1,60}$/.test(name))
      throw new ValidationError('invalid token name', [
        { field: 'name', detail: '1-60 letters, digits, spaces, . _ -' },
      ]);
    const token = newSecret('swt_');
    const record = await this.store.createApiToken({
      id: randomUUID(),
      userId: actor.user.id,
      name,
      tokenHash: sha256(token),
    });
    await this.store.audit({
      actor: actor.user.username,
      action: 'token.create',
      target: record.id,
      detail: { name },
    });
    return { token, record };
  }

  async listApiTokens(actor: Actor): Promise<ApiTokenRecord[]> {
    return this.store.listApiTokens(actor.user.id);
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    if (!(await this.store.revokeApiToken(actor.user.id, id)))
      throw new NotFoundError(`no active token ${id}`);
    await this.store.audit({
      actor: actor.user.username,
      action: 'token.revoke',
      target: id,
      detail: {},
    });
  }
}
