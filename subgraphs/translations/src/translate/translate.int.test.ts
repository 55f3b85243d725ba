import { randomUUID } from 'node:crypto';
import {
  createLogger,
  DEV_SIGNING_SECRET,
  TRANSLATE_PATH,
  verifyRequest,
  type RunningSubgraph,
  type SignedIdentity,
} from '@parley/common';
import { loadTranslationsConfig, startTranslationsSubgraph } from '..';
import { startFakeTranslator, type FakeTranslator } from '../testing/fake-translator';
import { errorCodes, signedGraphql, testClientIp, type GraphQLReply } from '@parley/common/testing';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';
const RATE_LIMIT = 3;

const TRANSLATE = `
  query ($text: String!, $target: LanguageCode!, $source: LanguageCode) {
    translate(text: $text, targetLanguage: $target, sourceLanguage: $source) {
      sourceLanguage targetLanguage translatedContent translationModel fromCache
    }
  }
`;

interface TranslateData {
  translate: {
    sourceLanguage: string;
    targetLanguage: string;
    translatedContent: string;
    translationModel: string;
    fromCache: boolean;
  };
}

let translator: FakeTranslator;
let subgraph: RunningSubgraph;

beforeAll(async () => {
  translator = await startFakeTranslator();
  const config = loadTranslationsConfig({
    NODE_ENV: 'test',
    DATABASE_URL,
    TRANSLATIONS_PORT: '0',
    TRANSLATOR_URL: translator.url,
    TRANSLATOR_TIMEOUT_MS: '300',
    TRANSLATE_RATE_LIMIT: String(RATE_LIMIT),
  });
  subgraph = await startTranslationsSubgraph(config, { logger: createLogger('test', 'silent') });
});

afterAll(async () => {
  await subgraph?.stop();
  await translator?.stop();
});

beforeEach(() => {
  translator.requests.length = 0;
  translator.reply = (request) => {
    const body = JSON.parse(request.body) as { text: string; targetLanguage: string; sourceLanguage?: string };
    return {
      status: 200,
      body: {
        sourceLanguage: body.sourceLanguage ?? 'fr',
        targetLanguage: body.targetLanguage,
        translatedContent: `[${body.targetLanguage}] ${body.text}`,
        translationModel: 'opus-mt-fr-en',
        fromCache: true,
      },
    };
  };
});

/** Every call as a new user, so the per-user rate limit only matters where a test wants it. */
const newUser = (): SignedIdentity => ({ userId: randomUUID(), clientIp: testClientIp() });

const translate = (
  variables: { text: string; target: string; source?: string },
  identity: SignedIdentity = newUser(),
): Promise<GraphQLReply<TranslateData>> => signedGraphql<TranslateData>(subgraph.url, TRANSLATE, variables, identity);

const failWith = (status: number, code: string, message = 'detail that must not leak') => {
  translator.reply = () => ({ status, body: { error: { code, message } } });
};

it('sends a signed request for the caller to the translator and returns its answer', async () => {
  const identity = newUser();
  const reply = await translate({ text: '  Bonjour tout le monde ', target: 'en', source: 'fr' }, identity);
  expect(reply.errors).toBeUndefined();
  expect(reply.data?.translate).toEqual({
    sourceLanguage: 'fr',
    targetLanguage: 'en',
    translatedContent: '[en] Bonjour tout le monde',
    translationModel: 'opus-mt-fr-en',
    fromCache: true,
  });
  expect(translator.requests).toHaveLength(1);
  const [request] = translator.requests;
  expect(request?.method).toBe('POST');
  expect(request?.path).toBe(TRANSLATE_PATH);
  expect(JSON.parse(request?.body ?? '')).toEqual({
    text: 'Bonjour tout le monde',
    targetLanguage: 'en',
    sourceLanguage: 'fr',
  });
  const check = verifyRequest(DEV_SIGNING_SECRET, request?.headers ?? {}, request?.body ?? '');
  expect(check).toEqual({ ok: true, identity });
  expect(
    verifyRequest('another-secret-of-at-least-32-characters', request?.headers ?? {}, request?.body ?? '').ok,
  ).toBe(false);
});

it('leaves sourceLanguage out when the caller does not give it, so the translator detects it', async () => {
  const reply = await translate({ text: 'Bonjour', target: 'en' });
  expect(reply.data?.translate.sourceLanguage).toBe('fr');
  expect(JSON.parse(translator.requests[0]?.body ?? '')).toEqual({ text: 'Bonjour', targetLanguage: 'en' });
});

it('answers source == target itself with the identity model', async () => {
  const reply = await translate({ text: ' Hello ', target: 'en', source: 'en' });
  expect(reply.data?.translate).toEqual({
    sourceLanguage: 'en',
    targetLanguage: 'en',
    translatedContent: 'Hello',
    translationModel: 'identity',
    fromCache: false,
  });
  expect(translator.requests).toHaveLength(0);
});

it.each([
  ['an empty text', { text: ' \n ', target: 'en' }, 'text'],
  ['a text over 4000 characters', { text: 'a'.repeat(4001), target: 'en' }, 'text'],
  ['an unsupported target', { text: 'Hi', target: 'xx' }, 'targetLanguage'],
  ['an unsupported source', { text: 'Hi', target: 'fr', source: 'tlh' }, 'sourceLanguage'],
])('refuses %s with BAD_USER_INPUT before calling the translator', async (_label, variables, field) => {
  const reply = await translate(variables);
  expect(errorCodes(reply)).toEqual(['BAD_USER_INPUT']);
  expect(reply.errors?.[0]?.extensions?.field).toBe(field);
  expect(translator.requests).toHaveLength(0);
});

it('maps NO_MODEL to BAD_USER_INPUT naming the language pair', async () => {
  failWith(422, 'NO_MODEL');
  const reply = await translate({ text: 'Bonjour', target: 'ko', source: 'fr' });
  expect(errorCodes(reply)).toEqual(['BAD_USER_INPUT']);
  expect(reply.errors?.[0]?.message).toContain('fr→ko');
});

it('maps UNDETECTABLE to BAD_USER_INPUT asking for sourceLanguage', async () => {
  failWith(422, 'UNDETECTABLE');
  const reply = await translate({ text: '12345', target: 'en' });
  expect(errorCodes(reply)).toEqual(['BAD_USER_INPUT']);
  expect(reply.errors?.[0]?.extensions?.field).toBe('sourceLanguage');
  expect(reply.errors?.[0]?.message).toMatch(/sourceLanguage/);
});

it('maps a 400 of the translator to BAD_USER_INPUT', async () => {
  failWith(400, 'BAD_REQUEST');
  const reply = await translate({ text: 'Bonjour', target: 'en' });
  expect(errorCodes(reply)).toEqual(['BAD_USER_INPUT']);
  expect(JSON.stringify(reply.errors)).not.toContain('must not leak');
});

it.each<[string, () => void]>([
  ['a 503', () => failWith(503, 'UNAVAILABLE')],
  ['a 401 (secrets out of step)', () => failWith(401, 'BAD_REQUEST')],
  ['an unknown 422', () => (translator.reply = () => ({ status: 422, body: { nonsense: true } }))],
  ['a 200 that breaks the contract', () => (translator.reply = () => ({ status: 200, body: { text: 'x' } }))],
  ['a body that is not JSON', () => (translator.reply = () => ({ status: 200, body: '<html>' }))],
  ['a dropped connection', () => (translator.reply = () => 'drop')],
  ['no answer within the timeout', () => (translator.reply = () => 'hang')],
])('answers INTERNAL_SERVER_ERROR without details for %s', async (_label, arrange) => {
  arrange();
  const reply = await translate({ text: 'Bonjour', target: 'en', source: 'fr' });
  expect(reply.data).toBeNull();
  expect(reply.errors).toEqual([
    {
      message: 'Internal server error',
      locations: expect.any(Array),
      path: ['translate'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    },
  ]);
});

it('limits each user to TRANSLATE_RATE_LIMIT calls a minute', async () => {
  const identity = newUser();
  for (let i = 0; i < RATE_LIMIT; i += 1) {
    expect((await translate({ text: `Bonjour ${i}`, target: 'en' }, identity)).errors).toBeUndefined();
  }
  const limited = await translate({ text: 'Bonjour encore', target: 'en' }, identity);
  expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
  expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toEqual(expect.any(Number));
  expect(translator.requests).toHaveLength(RATE_LIMIT);
  // Another user is not affected.
  expect((await translate({ text: 'Bonjour', target: 'en' })).errors).toBeUndefined();
});

it('refuses anonymous callers', async () => {
  const reply = await translate({ text: 'Bonjour', target: 'en' }, { userId: '', clientIp: testClientIp() });
  expect(errorCodes(reply)).toEqual(['UNAUTHENTICATED']);
  expect(translator.requests).toHaveLength(0);
});
