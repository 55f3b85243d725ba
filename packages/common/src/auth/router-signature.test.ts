import { SignatureHeader, signRequest, verifyRequest } from './router-signature';

const SECRET = 's'.repeat(40);
const identity = { userId: '7c0f3b1e-9c1a-4a51-8d2c-2f7a0b1e4c11', clientIp: '203.0.113.7' };
const body = '{"query":"{ me { id } }"}';

describe('router signatures', () => {
  it('verifies what the router signed and returns the identity', () => {
    const headers = signRequest(SECRET, identity, body);
    expect(verifyRequest(SECRET, headers, body)).toEqual({ ok: true, identity });
  });

  it.each([
    ['another user', { [SignatureHeader.userId]: '00000000-0000-0000-0000-000000000000' }, body],
    ['another client address', { [SignatureHeader.clientIp]: '198.51.100.1' }, body],
    ['another body', {}, '{"query":"{ user(id: 1) { id } }"}'],
    ['no signature', { [SignatureHeader.signature]: undefined }, body],
    ['a truncated signature', { [SignatureHeader.signature]: 'v1=abc' }, body],
  ])('rejects a request with %s', (_label, override, sentBody) => {
    const headers = { ...signRequest(SECRET, identity, body), ...override };
    expect(verifyRequest(SECRET, headers, sentBody).ok).toBe(false);
  });

  it('rejects another secret and stale timestamps', () => {
    expect(verifyRequest('t'.repeat(40), signRequest(SECRET, identity, body), body).ok).toBe(false);
    const old = signRequest(SECRET, identity, body, Date.now() - 61_000);
    expect(verifyRequest(SECRET, old, body)).toEqual({ ok: false, reason: 'stale or invalid signature timestamp' });
    const future = signRequest(SECRET, identity, body, Date.now() + 61_000);
    expect(verifyRequest(SECRET, future, body).ok).toBe(false);
  });
});
