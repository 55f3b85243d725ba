import { DEV_JWT_SECRET, DEV_SIGNING_SECRET, issueAccessToken, SignatureHeader, signRequest } from '@parley/common';
import { SignJWT, UnsecuredJWT } from 'jose';
import { Client, codes } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { SIGN_UP, signUpUser, uniqueEmail, type TestUser } from '../support/users';

const ME = '{ me { id displayName preferredLanguage } }';
const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { token user { id } } }';

let stack: Stack;
let ada: TestUser;

beforeAll(async () => {
  stack = await startStack();
  ada = await signUpUser(stack.routerUrl, 'fr', 'ada');
});
afterAll(() => stack.stop());

describe('sign up and sign in', () => {
  it('signs up, then reads itself with the token', async () => {
    const data = await ada.client.data<{ me: { id: string; preferredLanguage: string } }>(ME);
    expect(data.me).toMatchObject({ id: ada.id, preferredLanguage: 'fr' });
  });

  it('signs in with the same email in another case', async () => {
    const client = new Client(stack.routerUrl);
    const data = await client.data<{ signIn: { token: string; user: { id: string } } }>(SIGN_IN, {
      input: { email: ada.email.toUpperCase(), password: ada.password },
    });
    expect(data.signIn.user.id).toBe(ada.id);
    expect(data.signIn.token.split('.')).toHaveLength(3);
  });

  it('refuses a wrong password or an unknown email with the same UNAUTHENTICATED answer', async () => {
    const client = new Client(stack.routerUrl);
    const wrong = await client.request(SIGN_IN, { input: { email: ada.email, password: 'not the password' } });
    const unknown = await client.request(SIGN_IN, { input: { email: uniqueEmail(), password: 'whatever123' } });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(codes(unknown)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('answers CONFLICT for a taken email, in any case', async () => {
    const client = new Client(stack.routerUrl);
    const result = await client.request(SIGN_UP, {
      input: {
        email: ada.email.toUpperCase(),
        password: 'another password',
        displayName: 'Copy',
        systemLanguage: 'en',
      },
    });
    expect(codes(result)).toEqual(['CONFLICT']);
    expect(result.data).toBeNull();
  });

  it.each([
    ['an email that is not one', { email: 'not-an-email' }, 'input.email'],
    ['a password shorter than 8 characters', { password: 'short' }, 'input.password'],
    ['an unsupported system language', { systemLanguage: 'xx' }, 'input.systemLanguage'],
    ['an unsupported regional language', { regionalLanguage: 'klingon' }, 'input.regionalLanguage'],
    ['an empty display name', { displayName: '   ' }, 'input.displayName'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_label, override, field) => {
    const client = new Client(stack.routerUrl);
    const input = {
      email: uniqueEmail('bad'),
      password: 'long enough',
      displayName: 'Bad',
      systemLanguage: 'en',
      ...override,
    };
    const result = await client.request(SIGN_UP, { input });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.field).toBe(field);
    if (!('email' in override)) {
      // Nothing was stored: the same email still signs up once the input is fixed.
      const retry = await client.request(SIGN_UP, { input: { ...input, ...validFix(override) } });
      expect(retry.errors).toBeUndefined();
    }
  });
});

function validFix(override: Record<string, string>): Record<string, string> {
  const fix: Record<string, string> = {};
  for (const key of Object.keys(override)) {
    fix[key] = key === 'password' ? 'long enough' : key === 'displayName' ? 'Fixed' : 'en';
  }
  return fix;
}

describe('the contract auth rules', () => {
  it('lets an anonymous caller use supportedLanguages only', async () => {
    const client = new Client(stack.routerUrl);
    const languages = await client.data<{
      supportedLanguages: Array<{ code: string; name: string; nativeName: string }>;
    }>('{ supportedLanguages { code name nativeName } }');
    const codesList = languages.supportedLanguages.map((language) => language.code);
    expect(codesList).toEqual(expect.arrayContaining(['fr', 'en', 'es', 'de', 'pt', 'zh', 'ja', 'ar']));
    expect(languages.supportedLanguages.find((language) => language.code === 'fr')).toEqual({
      code: 'fr',
      name: 'French',
      nativeName: 'Français',
    });
    for (const query of [ME, `{ user(id: "${ada.id}") { id } }`, '{ myConversations { id } }']) {
      const result = await client.request(query);
      expect(result.status).toBe(401);
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.data ?? null).toBeNull();
    }
  });

  it('refuses an anonymous operation that hides a private field behind a public one', async () => {
    const client = new Client(stack.routerUrl);
    const result = await client.request('{ supportedLanguages { code } ...F } fragment F on Query { me { id } }');
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });

  const tokens: Record<string, () => Promise<string>> = {
    'a token signed with another secret': () => issueAccessToken('x'.repeat(48), ada.id, 3600),
    'an expired token': async () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(ada.id)
        .setIssuer('parley-users')
        .setAudience('parley')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(DEV_JWT_SECRET)),
    'an alg none token': async () =>
      new UnsecuredJWT({})
        .setSubject(ada.id)
        .setIssuer('parley-users')
        .setAudience('parley')
        .setExpirationTime('1h')
        .encode(),
    'a token with another algorithm (HS512)': async () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject(ada.id)
        .setIssuer('parley-users')
        .setAudience('parley')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(DEV_JWT_SECRET)),
    'a tampered payload': async () => {
      const [header, , signature] = ada.token.split('.');
      const payload = Buffer.from(
        JSON.stringify({ sub: 'someone-else', iss: 'parley-users', aud: 'parley', exp: 9999999999 }),
      ).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    garbage: async () => 'not.a.jwt',
  };

  it.each(Object.keys(tokens))('refuses %s with UNAUTHENTICATED', async (kind) => {
    const client = new Client(stack.routerUrl, await tokens[kind]!());
    const result = await client.request(ME);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.data ?? null).toBeNull();
    expect(result.raw).not.toContain(ada.id);
  });

  it('ignores identity headers sent by a client', async () => {
    const anonymous = new Client(stack.routerUrl);
    const spoofed = await anonymous.request(ME, {}, { headers: { [SignatureHeader.userId]: ada.id } });
    expect(codes(spoofed)).toEqual(['UNAUTHENTICATED']);

    const bob = await signUpUser(stack.routerUrl, 'en', 'bob');
    const asBob = await bob.client.request<{ me: { id: string } }>(
      ME,
      {},
      { headers: { [SignatureHeader.userId]: ada.id } },
    );
    expect(asBob.data?.me.id).toBe(bob.id);
  });
});

describe('subgraphs reached directly', () => {
  const body = JSON.stringify({
    query: `{ user(id: "00000000-0000-0000-0000-000000000000") { id } supportedLanguages { code } }`,
  });

  it.each([
    ['no signature', {}],
    ['identity headers without a signature', { [SignatureHeader.userId]: '00000000-0000-0000-0000-000000000000' }],
    ['a signature made with another secret', signRequest('y'.repeat(48), { userId: '', clientIp: '' }, body)],
    [
      'a signature over another body',
      signRequest(DEV_SIGNING_SECRET, { userId: '', clientIp: '' }, '{"query":"{__typename}"}'),
    ],
    [
      'a stale signature',
      signRequest(DEV_SIGNING_SECRET, { userId: '', clientIp: '' }, body, Date.now() - 10 * 60_000),
    ],
  ])('answer 401 and no data with %s', async (_label, headers) => {
    for (const url of [stack.usersUrl, stack.conversationsUrl]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(response.status).toBe(401);
      const result = (await response.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
      expect(result.data).toBeUndefined();
      expect(result.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serve a request the router signed', async () => {
    const headers = signRequest(DEV_SIGNING_SECRET, { userId: '', clientIp: '' }, body);
    const response = await fetch(stack.usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(response.status).toBe(200);
  });
});

describe('sign-in rate limits', () => {
  it('limits attempts per email, then answers RATE_LIMITED even with the right password', async () => {
    const limited = await startStack({ env: { SIGN_IN_LIMIT_PER_EMAIL: '3', SIGN_IN_LIMIT_PER_IP: '1000' } });
    try {
      const user = await signUpUser(limited.routerUrl, 'en', 'limited');
      const client = new Client(limited.routerUrl);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await client.request(SIGN_IN, { input: { email: user.email, password: 'wrong password' } });
        expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      }
      const blocked = await client.request(SIGN_IN, { input: { email: user.email, password: user.password } });
      expect(codes(blocked)).toEqual(['RATE_LIMITED']);
      expect(blocked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });

  it('limits attempts per client address across emails', async () => {
    const limited = await startStack({ env: { SIGN_IN_LIMIT_PER_EMAIL: '1000', SIGN_IN_LIMIT_PER_IP: '3' } });
    try {
      const client = new Client(limited.routerUrl);
      const results = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        results.push(await client.request(SIGN_IN, { input: { email: uniqueEmail(), password: 'wrong password' } }));
      }
      expect(results.map((result) => codes(result)[0])).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'RATE_LIMITED',
      ]);
      // Another address is not affected.
      const other = await new Client(limited.routerUrl).request(SIGN_IN, {
        input: { email: uniqueEmail(), password: 'x'.repeat(9) },
      });
      expect(codes(other)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await limited.stop();
    }
  });
});
