import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Requests from the router to a subgraph carry the caller's identity in headers that the router
 * signs with a secret shared by the router and the subgraphs (HMAC-SHA256). The signature covers
 * the timestamp, the identity and a hash of the exact body, so a captured request cannot be
 * replayed with another query or another user, and goes stale after `maxSkewMs`.
 */
export const SignatureHeader = {
  userId: 'x-parley-user-id',
  clientIp: 'x-parley-client-ip',
  timestamp: 'x-parley-timestamp',
  signature: 'x-parley-signature',
} as const;

export interface SignedIdentity {
  /** The authenticated user, or '' for an anonymous caller (signUp, signIn). */
  userId: string;
  /** The end client's address as the router saw it; rate limits key on it. */
  clientIp: string;
}

const VERSION = 'v1';

function payload(timestamp: string, identity: SignedIdentity, body: string | Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return [VERSION, timestamp, identity.userId, identity.clientIp, bodyHash].join('\n');
}

function mac(secret: string, data: string): string {
  return `${VERSION}=${createHmac('sha256', secret).update(data).digest('base64url')}`;
}

export function signRequest(
  secret: string,
  identity: SignedIdentity,
  body: string | Buffer,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [SignatureHeader.userId]: identity.userId,
    [SignatureHeader.clientIp]: identity.clientIp,
    [SignatureHeader.timestamp]: timestamp,
    [SignatureHeader.signature]: mac(secret, payload(timestamp, identity, body)),
  };
}

export type SignatureCheck = { ok: true; identity: SignedIdentity } | { ok: false; reason: string };

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function verifyRequest(
  secret: string,
  headers: HeaderBag,
  body: string | Buffer,
  { now = Date.now(), maxSkewMs = 60_000 }: { now?: number; maxSkewMs?: number } = {},
): SignatureCheck {
  const signature = header(headers, SignatureHeader.signature);
  const timestamp = header(headers, SignatureHeader.timestamp);
  if (!signature || !timestamp) return { ok: false, reason: 'missing router signature' };
  const sentAt = Number(timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > maxSkewMs) {
    return { ok: false, reason: 'stale or invalid signature timestamp' };
  }
  const identity: SignedIdentity = {
    userId: header(headers, SignatureHeader.userId) ?? '',
    clientIp: header(headers, SignatureHeader.clientIp) ?? '',
  };
  const expected = Buffer.from(mac(secret, payload(timestamp, identity, body)));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad router signature' };
  }
  return { ok: true, identity };
}
