import { verifyAccessToken, type TokenCheck } from '@parley/common';

/**
 * Access tokens already verified by this router, until they expire. A client sends the same token
 * with every request and every reconnect, and an HS256 verification through WebCrypto (what jose
 * uses) costs about half a millisecond of CPU here, more than the rest of a small request's
 * routing. Only good tokens are kept, keyed by the whole token string, so a hit is exactly a token
 * this router verified with its own secret; the least recently verified go first past `capacity`.
 */
export class VerifiedTokens {
  private readonly valid = new Map<string, { userId: string; expiresAtMs: number }>();

  constructor(
    private readonly secret: string,
    private readonly capacity = 10_000,
    private readonly verify: (secret: string, token: string) => Promise<TokenCheck> = verifyAccessToken,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.valid.size;
  }

  async check(token: string): Promise<TokenCheck> {
    const known = this.valid.get(token);
    if (known) {
      if (this.now() < known.expiresAtMs)
        return { ok: true, claims: { userId: known.userId, expiresAt: known.expiresAtMs / 1000 } };
      this.valid.delete(token);
      return { ok: false, reason: 'expired' };
    }
    const check = await this.verify(this.secret, token);
    if (check.ok) {
      this.valid.set(token, { userId: check.claims.userId, expiresAtMs: check.claims.expiresAt * 1000 });
      if (this.valid.size > this.capacity) this.valid.delete(this.valid.keys().next().value!);
    }
    return check;
  }
}
