import { describe, expect, it } from '@jest/globals';
import { issueAccessToken, verifyAccessToken, type TokenCheck } from '@parley/common';
import { VerifiedTokens } from './verified-tokens';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

function counting() {
  let calls = 0;
  const verify = (secret: string, token: string): Promise<TokenCheck> => {
    calls += 1;
    return verifyAccessToken(secret, token);
  };
  return { verify, calls: () => calls };
}

describe('VerifiedTokens', () => {
  it('verifies a token once, then answers from memory until it expires', async () => {
    const { verify, calls } = counting();
    let now = Date.now();
    const tokens = new VerifiedTokens(SECRET, 100, verify, () => now);
    const token = await issueAccessToken(SECRET, 'user-1', 60);
    expect(await tokens.check(token)).toMatchObject({ ok: true, claims: { userId: 'user-1' } });
    expect(await tokens.check(token)).toMatchObject({ ok: true, claims: { userId: 'user-1' } });
    expect(calls()).toBe(1);
    now += 61_000;
    expect(await tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
    expect(tokens.size).toBe(0);
  });

  it('never keeps a bad token: each attempt is verified and refused', async () => {
    const { verify, calls } = counting();
    const tokens = new VerifiedTokens(SECRET, 100, verify);
    const forged = await issueAccessToken('another-secret-of-at-least-32-characters', 'user-1', 60);
    expect(await tokens.check(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.check(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(calls()).toBe(2);
    expect(tokens.size).toBe(0);
  });

  it('keeps at most `capacity` tokens, dropping the oldest', async () => {
    const { verify, calls } = counting();
    const tokens = new VerifiedTokens(SECRET, 2, verify);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((id) => issueAccessToken(SECRET, id, 60)));
    for (const token of [a!, b!, c!]) await tokens.check(token);
    expect(tokens.size).toBe(2);
    await tokens.check(c!);
    expect(calls()).toBe(3);
    await tokens.check(a!);
    expect(calls()).toBe(4);
  });
});
