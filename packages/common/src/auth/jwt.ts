import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/**
 * Access tokens: HS256 only (the algorithm is pinned on verification, so `alg: none` and
 * algorithm-confusion tokens fail), with issuer, audience and expiry always checked.
 */
const ALGORITHM = 'HS256';
const ISSUER = 'parley-users';
const AUDIENCE = 'parley';

export interface AccessTokenClaims {
  userId: string;
  /** The `exp` claim: seconds since the epoch. */
  expiresAt: number;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/**
 * The verification key per secret, imported once: given the raw bytes, jose imports a CryptoKey on
 * every call, which was more than half of a verification's CPU (the router verifies every request).
 * A process knows one secret, or a few in tests.
 */
const verificationKeys = new Map<string, Promise<CryptoKey>>();

function verificationKey(secret: string): Promise<CryptoKey> {
  let imported = verificationKeys.get(secret);
  if (!imported) {
    imported = crypto.subtle.importKey('raw', key(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    verificationKeys.set(secret, imported);
  }
  return imported;
}

export async function issueAccessToken(secret: string, userId: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(secret));
}

export type TokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyAccessToken(secret: string, token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, await verificationKey(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return { ok: false, reason: 'invalid' };
    return { ok: true, claims: { userId: payload.sub, expiresAt: payload.exp! } };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}
