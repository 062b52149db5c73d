import { newAccessToken, newAuthorizationCode, newRefreshToken, newUserId } from './tokenMaterial.ts';

/**
 * The simulator's memory: sellers, authorization codes, grants (one per consent, holding
 * the refresh token) and access tokens. All expiry is judged against the injected clock
 * so tests can age tokens without waiting.
 */

export type Seller = { userId: string; username: string };

export type Grant = {
  refreshToken: string;
  userId: string;
  scopes: readonly string[];
  refreshExpiresAt: number;
  revoked: boolean;
};

type AccessTokenRecord = { grant: Grant; scopes: readonly string[]; expiresAt: number };
type CodeRecord = { userId: string; scopes: readonly string[]; expiresAt: number; used: boolean };

export const CODE_TTL_SECONDS = 300;

/** What survives a restart of an embedded simulator: its sellers and their grants. */
export type SimSnapshot = { sellers: Seller[]; grants: Grant[] };

export type CodeRedemption =
  | { ok: true; userId: string; scopes: readonly string[] }
  | { ok: false; reason: string };

export class SimStore {
  private readonly sellersById = new Map<string, Seller>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly appTokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  /** Every secret ever handed out, for secrets scans of logs and databases. */
  private readonly issued = new Set<string>();

  constructor(private readonly now: () => number) {}

  sellers(): Seller[] {
    return [...this.sellersById.values()];
  }

  findSeller(userId: string): Seller | undefined {
    return this.sellersById.get(userId);
  }

  /** Naming an existing username reuses that seller, so a reconnect keeps its userId. */
  findOrCreateSeller(username: string, userId?: string): Seller {
    if (userId) {
      const byId = this.sellersById.get(userId);
      if (byId) return byId;
    } else {
      const byName = this.sellers().find((s) => s.username === username);
      if (byName) return byName;
    }
    const seller = { userId: userId ?? newUserId(), username };
    this.sellersById.set(seller.userId, seller);
    return seller;
  }

  /** Username changes are allowed on eBay; the userId never changes. */
  renameSeller(userId: string, username: string): boolean {
    const seller = this.sellersById.get(userId);
    if (seller) seller.username = username;
    return Boolean(seller);
  }

  issueCode(userId: string, scopes: readonly string[]): string {
    const code = newAuthorizationCode();
    this.codes.set(code, { userId, scopes, expiresAt: this.now() + CODE_TTL_SECONDS * 1000, used: false });
    this.issued.add(code);
    return code;
  }

  redeemCode(code: string): CodeRedemption {
    const record = this.codes.get(code);
    if (!record) return { ok: false, reason: 'unknown code' };
    if (record.used) return { ok: false, reason: 'code already used' };
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'code expired' };
    record.used = true;
    return { ok: true, userId: record.userId, scopes: record.scopes };
  }

  createGrant(userId: string, scopes: readonly string[], refreshTtlSeconds: number): Grant {
    const grant: Grant = {
      refreshToken: newRefreshToken(),
      userId,
      scopes: [...scopes],
      refreshExpiresAt: this.now() + refreshTtlSeconds * 1000,
      revoked: false,
    };
    this.grants.set(grant.refreshToken, grant);
    this.issued.add(grant.refreshToken);
    return grant;
  }

  /** A grant that can still mint access tokens, or undefined (unknown, revoked or expired). */
  usableGrant(refreshToken: string): Grant | undefined {
    const grant = this.grants.get(refreshToken);
    if (!grant || grant.revoked || grant.refreshExpiresAt <= this.now()) return undefined;
    return grant;
  }

  issueAccessToken(grant: Grant, scopes: readonly string[], ttlSeconds: number): string {
    const token = newAccessToken();
    this.accessTokens.set(token, { grant, scopes: [...scopes], expiresAt: this.now() + ttlSeconds * 1000 });
    this.issued.add(token);
    return token;
  }

  /** An application access token (client-credentials grant): no seller, no refresh token. */
  issueAppToken(scopes: readonly string[], ttlSeconds: number): string {
    const token = newAccessToken();
    this.appTokens.set(token, { scopes: [...scopes], expiresAt: this.now() + ttlSeconds * 1000 });
    this.issued.add(token);
    return token;
  }

  validAppToken(token: string): boolean {
    const record = this.appTokens.get(token);
    return !!record && record.expiresAt > this.now();
  }

  /** Access tokens die with their grant: revocation (password change) ends both. */
  validAccessToken(token: string): { seller: Seller; scopes: readonly string[] } | undefined {
    const record = this.accessTokens.get(token);
    if (!record || record.grant.revoked || record.expiresAt <= this.now()) return undefined;
    const seller = this.sellersById.get(record.grant.userId);
    return seller && { seller, scopes: record.scopes };
  }

  /** Ends the seller's access tokens now (eBay may end them early); grants stay usable. */
  expireAccessTokens(userId: string): number {
    let expired = 0;
    const now = this.now();
    for (const record of this.accessTokens.values()) {
      if (record.grant.userId === userId && record.expiresAt > now) {
        record.expiresAt = now;
        expired += 1;
      }
    }
    return expired;
  }

  revokeUser(userId: string): number {
    let revoked = 0;
    for (const grant of this.grants.values()) {
      if (grant.userId === userId && !grant.revoked) {
        grant.revoked = true;
        revoked += 1;
      }
    }
    return revoked;
  }

  revokeRefreshToken(refreshToken: string): boolean {
    const grant = this.grants.get(refreshToken);
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    return true;
  }

  rememberSecret(value: string): void {
    this.issued.add(value);
  }

  issuedSecrets(): string[] {
    return [...this.issued];
  }

  snapshot(): SimSnapshot {
    return {
      sellers: this.sellers().map((x) => ({ ...x })),
      grants: [...this.grants.values()].map((g) => ({ ...g })),
    };
  }

  restore(snapshot: SimSnapshot): void {
    for (const seller of snapshot.sellers) this.sellersById.set(seller.userId, { ...seller });
    for (const grant of snapshot.grants) {
      this.grants.set(grant.refreshToken, { ...grant });
      this.issued.add(grant.refreshToken);
    }
  }
}
