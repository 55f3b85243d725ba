import { codes } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';

let stack: Stack;
let user: TestUser;

beforeAll(async () => {
  stack = await startStack({ env: { MAX_ALIASES: '5', MAX_TOKENS: '400', MAX_BODY_BYTES: '4096' } });
  user = await signUpUser(stack.routerUrl, 'en', 'limits');
});
afterAll(() => stack.stop());

describe('operation limits', () => {
  it('refuses more aliases than allowed', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `l${i}: supportedLanguages { code }`).join(' ');
    const result = await user.client.request(`{ ${aliases} }`);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors?.[0]?.message).toMatch(/more than 5 aliases/);
  });

  it('refuses documents with too many tokens before parsing them', async () => {
    const fields = Array.from({ length: 500 }, () => 'code').join(' ');
    const result = await user.client.request(`{ supportedLanguages { ${fields} } }`);
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('refuses bodies over the size limit in GraphQL’s error shape', async () => {
    const result = await user.client.request('{ supportedLanguages { code } }', { padding: 'x'.repeat(5000) });
    expect(result.status).toBe(413);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers malformed JSON without a stack trace', async () => {
    const response = await fetch(stack.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('never shows a stack trace or internals in errors', async () => {
    const result = await user.client.request('{ nope }');
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.raw).not.toMatch(/stacktrace|node_modules|\.ts:\d+/);
  });
});

describe('depth limit through the router', () => {
  it('counts depth across fragments', async () => {
    const limited = await startStack({ env: { MAX_QUERY_DEPTH: '3' } });
    try {
      const member = await signUpUser(limited.routerUrl, 'en', 'depth');
      const shallow = await member.client.request('{ myConversations { id } }');
      expect(shallow.errors).toBeUndefined();
      const deep = await member.client.request(
        '{ myConversations { ...C } } fragment C on Conversation { members { user { ... on User { id } } } }',
      );
      expect(codes(deep)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(deep.errors?.[0]?.message).toBe('Operation is 4 levels deep; the limit is 3');
    } finally {
      await limited.stop();
    }
  });
});
