import type { VerifiedTokens } from './verified-tokens';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string }
  | { kind: 'invalid'; reason: 'malformed' | 'expired' | 'invalid' };

/**
 * Reads `Authorization: Bearer <jwt>` (HTTP) or the same string from `connection_init`.
 * A token that is present but bad is never treated as anonymous: the caller must learn it.
 */
export async function authenticate(authorization: unknown, tokens: VerifiedTokens): Promise<Caller> {
  if (authorization === undefined || authorization === null || authorization === '') return { kind: 'anonymous' };
  if (typeof authorization !== 'string') return { kind: 'invalid', reason: 'malformed' };
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization);
  if (!match) return { kind: 'invalid', reason: 'malformed' };
  const check = await tokens.check(match[1]!);
  return check.ok ? { kind: 'user', userId: check.claims.userId } : { kind: 'invalid', reason: check.reason };
}
