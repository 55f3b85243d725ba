import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { createLogger, type RouterExtensions, type RunningSubgraph, type SignedIdentity } from '@parley/common';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';
import { loadTranslationsConfig, startTranslationsSubgraph } from '..';
import { errorCodes, signedData, signedGraphql, testClientIp } from '@parley/common/testing';
import { RequestQueue, testAmqpPrefix } from '../testing/broker';
import { signUpViewer, updatePreferences } from '../testing/users';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

const TEXT_FIELDS = 'language content status isOriginal';
const ENTITIES = (selection: string) =>
  `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id ${selection} } } }`;
const VIEWER_TEXT = ENTITIES(`text { ${TEXT_FIELDS} }`);
const EVERYTHING = ENTITIES(`
  text { ${TEXT_FIELDS} }
  de: text(language: "de") { ${TEXT_FIELDS} }
  translations { targetLanguage translatedContent messageVersion }
`);

interface LocalizedText {
  language: string;
  content: string;
  status: string;
  isOriginal: boolean;
}

interface MessageRepresentation {
  __typename: 'Message';
  id: string;
  conversationId: string;
  content: string;
  originalLanguage: string;
  version: number;
  deletedAt: string | null;
}

interface Row {
  targetLanguage: string;
  version: number;
  status: 'TRANSLATED' | 'FAILED';
  content?: string;
  fromCache?: boolean;
}

/** SELECTs each service ran since the last reset (migrations and catalog reads left out). */
const selects = { translations: [] as string[], users: [] as string[] };
const isSelect = (sql: string) => /\bselect\b/i.test(sql) && !/mikro_orm_migrations|information_schema|pg_/i.test(sql);
const resetSelects = () => {
  selects.translations.length = 0;
  selects.users.length = 0;
};

let users: RunningSubgraph;
let translations: RunningSubgraph;
let db: pg.Pool;
const conversationId = randomUUID();
// PENDING reads queue translation requests: under a prefix of their own, deleted afterwards.
const amqpPrefix = testAmqpPrefix();
const requestQueue = new RequestQueue(amqpPrefix);

beforeAll(async () => {
  const logger = createLogger('test', 'silent');
  const env = { NODE_ENV: 'test', DATABASE_URL, USERS_PORT: '0', TRANSLATIONS_PORT: '0', AMQP_PREFIX: amqpPrefix };
  users = await startUsersSubgraph(loadUsersConfig(env), {
    logger,
    onQuery: (sql) => isSelect(sql) && selects.users.push(sql),
  });
  translations = await startTranslationsSubgraph(loadTranslationsConfig({ ...env, USERS_URL: users.url }), {
    logger,
    onQuery: (sql) => isSelect(sql) && selects.translations.push(sql),
  });
  db = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
});

afterAll(async () => {
  await translations?.stop();
  await users?.stop();
  await db?.end();
  await requestQueue.close();
});

/** A message as the messages subgraph would hand it over, with translation rows stored as the translator would. */
async function message(
  fields: Partial<Omit<MessageRepresentation, '__typename' | 'id'>> = {},
  rows: Row[] = [],
): Promise<MessageRepresentation> {
  const representation: MessageRepresentation = {
    __typename: 'Message',
    id: randomUUID(),
    conversationId,
    content: 'Hello everyone',
    originalLanguage: 'en',
    version: 1,
    deletedAt: null,
    ...fields,
  };
  for (const row of rows) {
    const translated = row.status === 'TRANSLATED';
    await db.query(
      `insert into translations.message_translation
         (message_id, target_language, message_version, conversation_id, source_language, status,
          translated_content, translation_model, from_cache, failure_reason, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), now())`,
      [
        representation.id,
        row.targetLanguage,
        row.version,
        conversationId,
        representation.originalLanguage,
        row.status,
        translated ? (row.content ?? `${row.targetLanguage}: ${representation.content}`) : null,
        translated ? `opus-mt-${representation.originalLanguage}-${row.targetLanguage}` : null,
        row.fromCache ?? false,
        translated ? null : 'no model',
      ],
    );
  }
  return representation;
}

async function entities<T>(query: string, messages: MessageRepresentation[], viewer: SignedIdentity): Promise<T[]> {
  const data = await signedData<{ _entities: T[] }>(translations.url, query, { r: messages }, viewer);
  return data._entities;
}

async function viewerText(message: MessageRepresentation, viewer: SignedIdentity): Promise<LocalizedText> {
  const [entity] = await entities<{ text: LocalizedText }>(VIEWER_TEXT, [message], viewer);
  if (!entity) throw new Error('no entity');
  return entity.text;
}

async function textIn(
  language: string,
  message: MessageRepresentation,
  viewer: SignedIdentity,
): Promise<LocalizedText> {
  const query = ENTITIES(`text(language: "${language}") { ${TEXT_FIELDS} }`);
  const [entity] = await entities<{ text: LocalizedText }>(query, [message], viewer);
  if (!entity) throw new Error('no entity');
  return entity.text;
}

describe('Message.text without argument (the viewer variant)', () => {
  let french: SignedIdentity;
  beforeAll(async () => {
    french = await signUpViewer(users.url, 'fr');
  });

  it('is the stored translation into the preferred language', async () => {
    const m = await message({ version: 2 }, [
      { targetLanguage: 'fr', version: 2, status: 'TRANSLATED', content: 'Bonjour à tous' },
      { targetLanguage: 'fr', version: 1, status: 'TRANSLATED', content: 'Salut (old)' },
    ]);
    expect(await viewerText(m, french)).toEqual({
      language: 'fr',
      content: 'Bonjour à tous',
      status: 'TRANSLATED',
      isOriginal: false,
    });
  });

  it('is PENDING with the original text before the translation is stored', async () => {
    const m = await message({}, [{ targetLanguage: 'de', version: 1, status: 'TRANSLATED' }]);
    expect(await viewerText(m, french)).toEqual({
      language: 'fr',
      content: 'Hello everyone',
      status: 'PENDING',
      isOriginal: true,
    });
  });

  it('ignores the translations of an older version (PENDING after an edit)', async () => {
    const m = await message({ content: 'Hello again', version: 3 }, [
      { targetLanguage: 'fr', version: 2, status: 'TRANSLATED' },
    ]);
    expect(await viewerText(m, french)).toEqual({
      language: 'fr',
      content: 'Hello again',
      status: 'PENDING',
      isOriginal: true,
    });
  });

  it('is FAILED with the original text when the translator gave up', async () => {
    const m = await message({}, [{ targetLanguage: 'fr', version: 1, status: 'FAILED' }]);
    expect(await viewerText(m, french)).toEqual({
      language: 'fr',
      content: 'Hello everyone',
      status: 'FAILED',
      isOriginal: true,
    });
  });

  it('is the original when the preferred language is the original language', async () => {
    const m = await message({ content: 'Salut', originalLanguage: 'fr' }, [
      { targetLanguage: 'en', version: 1, status: 'TRANSLATED' },
    ]);
    expect(await viewerText(m, french)).toEqual({
      language: 'fr',
      content: 'Salut',
      status: 'ORIGINAL',
      isOriginal: true,
    });
  });

  it('is the original when auto-translate is off', async () => {
    const viewer = await signUpViewer(users.url, 'fr', { autoTranslateEnabled: false });
    const m = await message({}, [{ targetLanguage: 'fr', version: 1, status: 'TRANSLATED' }]);
    expect(await viewerText(m, viewer)).toEqual({
      language: 'en',
      content: 'Hello everyone',
      status: 'ORIGINAL',
      isOriginal: true,
    });
  });

  it('follows a custom destination language', async () => {
    const viewer = await signUpViewer(users.url, 'fr', { customDestinationLanguage: 'ja', useCustomDestination: true });
    const m = await message({}, [
      { targetLanguage: 'fr', version: 1, status: 'TRANSLATED' },
      { targetLanguage: 'ja', version: 1, status: 'TRANSLATED', content: 'みなさん、こんにちは' },
    ]);
    expect(await viewerText(m, viewer)).toEqual({
      language: 'ja',
      content: 'みなさん、こんにちは',
      status: 'TRANSLATED',
      isOriginal: false,
    });
  });

  it('reads the preferences at query time, so a change shows in the next query', async () => {
    const viewer = await signUpViewer(users.url, 'fr');
    const m = await message({}, [{ targetLanguage: 'fr', version: 1, status: 'TRANSLATED', content: 'Bonjour' }]);
    expect((await viewerText(m, viewer)).status).toBe('TRANSLATED');
    await updatePreferences(users.url, viewer, { autoTranslateEnabled: false });
    expect(await viewerText(m, viewer)).toMatchObject({ status: 'ORIGINAL', content: 'Hello everyone' });
  });

  it('is an empty original once the message is deleted', async () => {
    const m = await message({ content: '', version: 2, deletedAt: new Date().toISOString() }, [
      { targetLanguage: 'fr', version: 2, status: 'TRANSLATED' },
    ]);
    expect(await viewerText(m, french)).toEqual({ language: 'en', content: '', status: 'ORIGINAL', isOriginal: true });
  });
});

describe("Message.text without argument, with the router's viewerLanguage (subscription events)", () => {
  const routerSays = (preferredLanguage: string, autoTranslateEnabled: boolean): RouterExtensions => ({
    viewerLanguage: { preferredLanguage, autoTranslateEnabled },
  });
  let french: SignedIdentity;
  let m: MessageRepresentation;
  beforeAll(async () => {
    french = await signUpViewer(users.url, 'fr');
    m = await message({}, [
      { targetLanguage: 'fr', version: 1, status: 'TRANSLATED', content: 'Bonjour à tous' },
      { targetLanguage: 'ja', version: 1, status: 'TRANSLATED', content: 'みなさん、こんにちは' },
    ]);
  });

  async function routedText(extensions: RouterExtensions, viewer = french) {
    resetSelects();
    const data = await signedData<{ _entities: Array<{ text: LocalizedText }> }>(
      translations.url,
      VIEWER_TEXT,
      { r: [m] },
      viewer,
      extensions,
    );
    return { text: data._entities[0]?.text, usersSelects: selects.users.length };
  }

  it('resolves the variant of the settings the router gives, not of the stored preferences, without asking users', async () => {
    expect(await routedText(routerSays('ja', true))).toEqual({
      text: { language: 'ja', content: 'みなさん、こんにちは', status: 'TRANSLATED', isOriginal: false },
      usersSelects: 0,
    });
    expect(await routedText(routerSays('fr', false))).toEqual({
      text: { language: 'en', content: 'Hello everyone', status: 'ORIGINAL', isOriginal: true },
      usersSelects: 0,
    });
    expect(await routedText(routerSays('de', true))).toEqual({
      text: { language: 'de', content: 'Hello everyone', status: 'PENDING', isOriginal: true },
      usersSelects: 0,
    });
  });

  it('asks users (once) as before when the router gives no viewerLanguage', async () => {
    expect(await routedText({ subscription: { phase: 'authorize' } })).toEqual({
      text: { language: 'fr', content: 'Bonjour à tous', status: 'TRANSLATED', isOriginal: false },
      usersSelects: 1,
    });
  });
});

describe('Message.text(language:)', () => {
  let viewer: SignedIdentity;
  let m: MessageRepresentation;
  beforeAll(async () => {
    viewer = await signUpViewer(users.url, 'fr', { autoTranslateEnabled: false });
    m = await message({ version: 2 }, [
      { targetLanguage: 'ja', version: 2, status: 'TRANSLATED', content: 'こんにちは' },
      { targetLanguage: 'de', version: 2, status: 'FAILED' },
      { targetLanguage: 'es', version: 1, status: 'TRANSLATED' },
    ]);
  });

  it('gives that language whatever the viewer preferences', async () => {
    expect(await textIn('ja', m, viewer)).toEqual({
      language: 'ja',
      content: 'こんにちは',
      status: 'TRANSLATED',
      isOriginal: false,
    });
    expect(await textIn('de', m, viewer)).toEqual({
      language: 'de',
      content: 'Hello everyone',
      status: 'FAILED',
      isOriginal: true,
    });
    expect(await textIn('es', m, viewer)).toEqual({
      language: 'es',
      content: 'Hello everyone',
      status: 'PENDING',
      isOriginal: true,
    });
    expect(await textIn('en', m, viewer)).toEqual({
      language: 'en',
      content: 'Hello everyone',
      status: 'ORIGINAL',
      isOriginal: true,
    });
  });

  it('is an empty original for a deleted message', async () => {
    const deleted = { ...m, content: '', deletedAt: new Date().toISOString() };
    expect(await textIn('ja', deleted, viewer)).toEqual({
      language: 'en',
      content: '',
      status: 'ORIGINAL',
      isOriginal: true,
    });
  });

  it.each(['xx', 'EN', ''])('refuses the unsupported language %j with BAD_USER_INPUT', async (language) => {
    const reply = await signedGraphql(
      translations.url,
      ENTITIES('text(language: $language) { content }').replace(
        '$r: [_Any!]!',
        '$r: [_Any!]!, $language: LanguageCode',
      ),
      { r: [m], language },
      viewer,
    );
    expect(errorCodes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(reply.errors?.[0]?.extensions?.field).toBe('language');
  });
});

describe('Message.translations', () => {
  it('lists the TRANSLATED rows of the current version only', async () => {
    const viewer = await signUpViewer(users.url, 'en');
    const m = await message({ version: 2 }, [
      { targetLanguage: 'ja', version: 2, status: 'TRANSLATED', content: 'こんにちは', fromCache: true },
      { targetLanguage: 'fr', version: 2, status: 'TRANSLATED', content: 'Bonjour' },
      { targetLanguage: 'de', version: 2, status: 'FAILED' },
      { targetLanguage: 'es', version: 1, status: 'TRANSLATED' },
    ]);
    const query = ENTITIES(
      'translations { messageId sourceLanguage targetLanguage translatedContent translationModel messageVersion fromCache createdAt }',
    );
    const [entity] = await entities<{ translations: Array<Record<string, unknown>> }>(query, [m], viewer);
    expect(entity?.translations).toEqual([
      {
        messageId: m.id,
        sourceLanguage: 'en',
        targetLanguage: 'fr',
        translatedContent: 'Bonjour',
        translationModel: 'opus-mt-en-fr',
        messageVersion: 2,
        fromCache: false,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      {
        messageId: m.id,
        sourceLanguage: 'en',
        targetLanguage: 'ja',
        translatedContent: 'こんにちは',
        translationModel: 'opus-mt-en-ja',
        messageVersion: 2,
        fromCache: true,
        createdAt: expect.any(String),
      },
    ]);

    const deleted = { ...m, content: '', deletedAt: new Date().toISOString() };
    const [gone] = await entities<{ translations: unknown[] }>(
      ENTITIES('translations { targetLanguage }'),
      [deleted],
      viewer,
    );
    expect(gone?.translations).toEqual([]);
  });

  it('needs only what it @requires: the router sends no content or language when text is not selected', async () => {
    const viewer = await signUpViewer(users.url, 'en');
    const m = await message({}, [{ targetLanguage: 'fr', version: 1, status: 'TRANSLATED', content: 'Bonjour' }]);
    const asRouted = { __typename: 'Message', id: m.id, version: m.version, deletedAt: m.deletedAt };
    const [entity] = await entities<{ translations: Array<Record<string, unknown>> }>(
      ENTITIES('translations { targetLanguage translatedContent messageVersion }'),
      [asRouted as MessageRepresentation],
      viewer,
    );
    expect(entity?.translations).toEqual([{ targetLanguage: 'fr', translatedContent: 'Bonjour', messageVersion: 1 }]);
  });
});

describe('batching', () => {
  let viewer: SignedIdentity;
  beforeAll(async () => {
    viewer = await signUpViewer(users.url, 'fr');
  });

  const page = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        message({ content: `message ${i}` }, [
          { targetLanguage: 'fr', version: 1, status: 'TRANSLATED' },
          { targetLanguage: 'de', version: 1, status: i % 2 ? 'FAILED' : 'TRANSLATED' },
        ]),
      ),
    );

  async function selectsFor(count: number, query: string) {
    const messages = await page(count);
    resetSelects();
    const result = await entities<{ text?: LocalizedText; translations?: unknown[] }>(query, messages, viewer);
    return { translations: selects.translations.length, users: selects.users.length, result };
  }

  it('loads a page of N messages with one SELECT and asks the users subgraph once', async () => {
    const two = await selectsFor(2, EVERYTHING);
    const ten = await selectsFor(10, EVERYTHING);
    expect(ten.result).toHaveLength(10);
    expect(ten.result.every((entity) => entity.text?.status === 'TRANSLATED' && entity.translations?.length)).toBe(
      true,
    );
    expect(two.translations).toBe(1);
    expect(ten.translations).toBe(two.translations);
    // One viewer lookup per request, whatever the number of messages.
    expect(two.users).toBe(1);
    expect(ten.users).toBe(1);
  });

  it('does not ask the users subgraph when every text names its language', async () => {
    const query = ENTITIES(`text(language: "de") { ${TEXT_FIELDS} } translations { targetLanguage }`);
    const ten = await selectsFor(10, query);
    expect(ten.users).toBe(0);
    expect(ten.translations).toBe(1);
  });

  it('needs no query at all for originals and deleted messages', async () => {
    const messages = [
      await message({ originalLanguage: 'fr' }),
      await message({ content: '', deletedAt: new Date().toISOString() }),
    ];
    resetSelects();
    const texts = await entities<{ text: LocalizedText }>(VIEWER_TEXT, messages, viewer);
    expect(texts.map((entity) => entity.text.status)).toEqual(['ORIGINAL', 'ORIGINAL']);
    expect(selects.translations).toHaveLength(0);
  });
});

it('refuses anonymous callers', async () => {
  const m = await message();
  const reply = await signedGraphql(translations.url, EVERYTHING, { r: [m] }, { userId: '', clientIp: testClientIp() });
  expect(errorCodes(reply)).toContain('UNAUTHENTICATED');
  expect(new Set(errorCodes(reply))).toEqual(new Set(['UNAUTHENTICATED']));
});

it('answers INTERNAL_SERVER_ERROR without details when the users subgraph cannot be reached (unless the router gave the viewerLanguage)', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const isolated = await startTranslationsSubgraph(
    loadTranslationsConfig({
      NODE_ENV: 'test',
      DATABASE_URL,
      TRANSLATIONS_PORT: '0',
      USERS_URL: `http://127.0.0.1:${closedPort}/graphql`,
    }),
    { logger: createLogger('test', 'silent') },
  );
  try {
    const m = await message({}, [{ targetLanguage: 'de', version: 1, status: 'TRANSLATED', content: 'Hallo' }]);
    const viewer = { userId: randomUUID(), clientIp: testClientIp() };
    const reply = await signedGraphql<{ _entities: Array<{ de: LocalizedText } | null> }>(
      isolated.url,
      ENTITIES(`text { content } de: text(language: "de") { content }`),
      { r: [m] },
      viewer,
    );
    expect(reply.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(JSON.stringify(reply.errors)).not.toMatch(/ECONNREFUSED|fetch/i);

    // With the router's viewerLanguage the users subgraph is not needed at all.
    const routed = await signedGraphql<{ _entities: Array<{ text: LocalizedText } | null> }>(
      isolated.url,
      VIEWER_TEXT,
      { r: [m] },
      viewer,
      { viewerLanguage: { preferredLanguage: 'de', autoTranslateEnabled: true } },
    );
    expect(routed.errors).toBeUndefined();
    expect(routed.data?._entities).toEqual([
      { id: m.id, text: { language: 'de', content: 'Hallo', status: 'TRANSLATED', isOriginal: false } },
    ]);
  } finally {
    await isolated.stop();
  }
});
