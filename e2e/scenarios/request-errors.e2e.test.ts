import { Client, codes, type GraphQLResponse } from '../support/client';
import { createGroup, history, send } from '../support/messaging';
import { startStack, type Stack } from '../support/stack';
import { SIGN_UP, signUpUser, uniqueEmail, type TestUser } from '../support/users';

/** The contract's codes: every error a client gets carries one of these. */
const CONTRACT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);
const ME = '{ me { id } }';
const TRANSLATE = `query ($target: LanguageCode!) { translate(text: "hello", targetLanguage: $target) { translatedContent } }`;

let stack: Stack;
let ada: TestUser;

beforeAll(async () => {
  stack = await startStack();
  ada = await signUpUser(stack.routerUrl, 'en', 'ada');
});
afterAll(() => stack.stop());

/** A raw POST to the router, for bodies the GraphQL client would never send. */
async function post(body: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(stack.routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}`, ...headers },
    body,
  });
  const raw = await response.text();
  return { status: response.status, raw, ...(JSON.parse(raw) as Omit<GraphQLResponse, 'status' | 'raw'>) };
}

describe('a LanguageCode that is not a string', () => {
  it.each([['12'], ['true'], ['1.5'], ['["fr"]'], ['{ a: "fr" }']])(
    'is refused as a literal (%s) by validation, before any subgraph is called',
    async (literal) => {
      const result = await ada.client.request(
        `{ translate(text: "hello", targetLanguage: ${literal}) { translatedContent } }`,
      );
      expect(result.status).toBe(400);
      expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(result.errors?.[0]?.message).toMatch(/LanguageCode must be a string/);
    },
  );

  it.each([[12], [true], [['fr']], [{ a: 'fr' }]])(
    'is refused as a variable (%j) with BAD_USER_INPUT',
    async (value) => {
      const result = await ada.client.request(TRANSLATE, { target: value });
      expect(result.status).toBe(400);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    },
  );

  it('stores nothing when signUp names one', async () => {
    const email = uniqueEmail('scalar');
    const input = { email, password: 'long enough', displayName: 'x', systemLanguage: 12 };
    expect(codes(await new Client(stack.routerUrl).request(SIGN_UP, { input }))).toEqual(['BAD_USER_INPUT']);
    const retry = await new Client(stack.routerUrl).request(SIGN_UP, { input: { ...input, systemLanguage: 'en' } });
    expect(retry.errors).toBeUndefined();
  });

  it('may be written as a bare name, as GraphiQL users do', async () => {
    const result = await ada.client.request('{ translate(text: "hello", targetLanguage: fr) { targetLanguage } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ translate: { targetLanguage: 'fr' } });
  });

  it('still passes a string through to the subgraph, which judges whether it is supported', async () => {
    const result = await ada.client.request(TRANSLATE, { target: 'xx' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.field).toBe('targetLanguage');
  });
});

describe('picking the operation', () => {
  const TWO = 'query A { supportedLanguages { code } } query B { supportedLanguages { name } }';

  it('refuses several operations without operationName as a request error (400)', async () => {
    const result = await post(JSON.stringify({ query: TWO }));
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors?.[0]?.message).toBe('Must provide operation name if query contains multiple operations.');
  });

  it('refuses an operationName the document does not define', async () => {
    const result = await post(JSON.stringify({ query: TWO, operationName: 'Z' }));
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors?.[0]?.message).toBe('Unknown operation named "Z".');
  });

  it('runs the operation named', async () => {
    const result = await post(JSON.stringify({ query: TWO, operationName: 'B' }));
    expect(result.status).toBe(200);
    expect((result.data as { supportedLanguages: Array<{ name: string }> }).supportedLanguages[0]?.name).toBeTruthy();
  });
});

describe('requests refused before any operation runs carry a contract code', () => {
  it.each([
    ['malformed JSON', '{"query": ', 400],
    ['an empty object', '{}', 400],
    ['a query that is not a string', '{"query": 5}', 400],
    ['variables that are not an object', '{"query": "{ me { id } }", "variables": "x"}', 400],
    ['a batch', '[{"query": "{ me { id } }"}]', 400],
  ])('%s: BAD_USER_INPUT', async (_label, body, status) => {
    const result = await post(body);
    expect(result.status).toBe(status);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('a body that is not JSON (the CSRF guard): BAD_USER_INPUT', async () => {
    const result = await post('query={ me { id } }', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('never names a subgraph in an error a subgraph raised', async () => {
    const answers = [
      await ada.client.request(TRANSLATE, { target: 'xx' }),
      await ada.client.request('mutation { deleteMessage(id: "00000000-0000-4000-8000-000000000000") { id } }'),
    ];
    expect(answers.map(codes)).toEqual([['BAD_USER_INPUT'], ['NOT_FOUND']]);
    for (const error of answers.flatMap((answer) => answer.errors ?? [])) {
      expect(CONTRACT_CODES.has(String(error.extensions?.code))).toBe(true);
      expect(error.extensions).not.toHaveProperty('serviceName');
    }
  });
});

describe('a token that is no longer valid', () => {
  const stale = 'not.a.jwt';

  it('does not stand in the way of the public operations: an app holding one can sign in again', async () => {
    const client = new Client(stack.routerUrl, stale);
    const signIn = await client.request(`mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
      input: { email: ada.email, password: ada.password },
    });
    expect(signIn.errors).toBeUndefined();
    expect((signIn.data as { signIn: { user: { id: string } } }).signIn.user.id).toBe(ada.id);
    expect((await client.request('{ supportedLanguages { code } }')).errors).toBeUndefined();
  });

  it('is still refused for anything else, naming the problem', async () => {
    const result = await new Client(stack.routerUrl, stale).request(ME);
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0]?.message).toBe('Invalid token');
    expect(result.data ?? null).toBeNull();
  });
});

describe('text PostgreSQL cannot store as sent', () => {
  it('refuses NUL in sign-up fields with BAD_USER_INPUT, and a sign-in with one is a plain wrong sign-in', async () => {
    const client = new Client(stack.routerUrl);
    for (const input of [
      { email: uniqueEmail('nul'), password: 'long enough', displayName: 'a\u0000b', systemLanguage: 'en' },
      { email: `a\u0000${uniqueEmail('nul')}`, password: 'long enough', displayName: 'x', systemLanguage: 'en' },
    ]) {
      const result = await client.request(SIGN_UP, { input });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    }
    const signIn = await client.request(`mutation ($input: SignInInput!) { signIn(input: $input) { token } }`, {
      input: { email: `a\u0000b@example.test`, password: 'long enough' },
    });
    expect(codes(signIn)).toEqual(['UNAUTHENTICATED']);
  });

  it('stores a message with an unpaired surrogate, as U+FFFD, and reads back what it stored', async () => {
    const bob = await signUpUser(stack.routerUrl, 'fr', 'bob');
    const { id: conversationId } = await createGroup(ada, [bob]);
    const sent = await send(ada, conversationId, 'abc \uDC00 def', { originalLanguage: 'en' });
    expect(sent.content).toBe('abc \uFFFD def');
    const stored = (await history(ada, conversationId)).messages[0]!;
    expect(stored).toMatchObject({ seq: 1, content: 'abc \uFFFD def' });
  });
});
