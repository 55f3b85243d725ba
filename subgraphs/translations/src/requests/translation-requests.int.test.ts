import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createLogger, translationClaimKey, type RunningSubgraph, type SignedIdentity } from '@parley/common';
import { signedData } from '@parley/common/testing';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';
import { loadTranslationsConfig, startTranslationsSubgraph } from '..';
import { RequestQueue, testAmqpPrefix } from '../testing/broker';
import { signUpViewer } from '../testing/users';

/**
 * On-demand translation requests against the real PostgreSQL, Redis and RabbitMQ: a read that finds
 * a variant PENDING queues one job on `translator.translation-requests` (no translator runs here,
 * the test takes the jobs out of the queue itself), however many readers ask, and the read answers
 * at once whether Redis or RabbitMQ are there or not.
 */

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TEXT = 'language content status isOriginal';
const ENTITIES = (selection: string) =>
  `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id ${selection} } } }`;

interface Representation {
  __typename: 'Message';
  id: string;
  content: string;
  originalLanguage: string;
  version: number;
  deletedAt: string | null;
}

const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
const baseEnv = { NODE_ENV: 'test', DATABASE_URL, REDIS_URL, USERS_PORT: '0', TRANSLATIONS_PORT: '0' };
const prefix = testAmqpPrefix();
const queue = new RequestQueue(prefix);
const redis = new Redis(REDIS_URL);
let users: RunningSubgraph;
let translations: RunningSubgraph;
let db: pg.Pool;
let viewer: SignedIdentity;

beforeAll(async () => {
  users = await startUsersSubgraph(loadUsersConfig(baseEnv), { logger });
  translations = await startTranslationsSubgraph(
    loadTranslationsConfig({ ...baseEnv, USERS_URL: users.url, AMQP_PREFIX: prefix }),
    { logger },
  );
  db = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  viewer = await signUpViewer(users.url, 'en');
});

afterAll(async () => {
  await translations?.stop();
  await users?.stop();
  await db?.end();
  await queue.close();
  redis.disconnect();
});

function message(fields: Partial<Representation> = {}): Representation {
  return {
    __typename: 'Message',
    id: randomUUID(),
    content: `Hello everyone ${randomUUID().slice(0, 6)}`,
    originalLanguage: 'en',
    version: 1,
    deletedAt: null,
    ...fields,
  };
}

async function textIn(url: string, language: string, m: Representation) {
  const data = await signedData<{ _entities: Array<{ text: { status: string; content: string } }> }>(
    url,
    ENTITIES(`text(language: "${language}") { ${TEXT} }`),
    { r: [m] },
    viewer,
  );
  return data._entities[0]!.text;
}

/** Jobs reach the queue just after the read answered: collect until nothing more comes for a while. */
async function jobsSettled(quietMs = 400, timeoutMs = 10_000) {
  const jobs = [];
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const taken = await queue.take();
    if (taken.length > 0) {
      jobs.push(...taken);
      quietSince = Date.now();
    } else if (Date.now() - quietSince > quietMs) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return jobs;
}

async function storeRow(m: Representation, language: string, status: 'TRANSLATED' | 'FAILED') {
  await db.query(
    `insert into translations.message_translation
       (message_id, target_language, message_version, conversation_id, source_language, status,
        translated_content, translation_model, from_cache, failure_reason, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, false, $9, now(), now())`,
    [
      m.id,
      language,
      m.version,
      randomUUID(),
      m.originalLanguage,
      status,
      status === 'TRANSLATED' ? 'Hallo' : null,
      status === 'TRANSLATED' ? 'test-tiny' : null,
      status === 'FAILED' ? 'no model' : null,
    ],
  );
}

describe('a PENDING read', () => {
  it('answers PENDING at once and queues one job with the message version, language and text', async () => {
    const m = message({ version: 3 });
    expect(await textIn(translations.url, 'de', m)).toMatchObject({ status: 'PENDING', content: m.content });
    const jobs = await jobsSettled();
    expect(jobs).toEqual([
      expect.objectContaining({
        messageId: m.id,
        version: 3,
        targetLanguages: ['de'],
        content: m.content,
        originalLanguage: 'en',
      }),
    ]);
    // The claim lives in Redis, shared with the other replicas and the translator.
    expect(await redis.ttl(translationClaimKey(m.id, 3, 'de'))).toBeGreaterThan(0);
  });

  it('queues one job however many readers ask at once', async () => {
    const m = message();
    const answers = await Promise.all(Array.from({ length: 25 }, () => textIn(translations.url, 'es', m)));
    expect(answers.every((answer) => answer.status === 'PENDING')).toBe(true);
    const jobs = await jobsSettled();
    expect(jobs.map((job) => [job.messageId, job.targetLanguages])).toEqual([[m.id, ['es']]]);
    // And a later read while the claim lives queues nothing more.
    await textIn(translations.url, 'es', m);
    expect(await jobsSettled()).toEqual([]);
  });

  it('puts the languages one request asks of a message version into one job', async () => {
    const m = message();
    await signedData(
      translations.url,
      ENTITIES(
        `de: text(language: "de") { status } it: text(language: "it") { status } ja: text(language: "ja") { status }`,
      ),
      { r: [m] },
      viewer,
    );
    const jobs = await jobsSettled();
    expect(jobs).toHaveLength(1);
    expect([...jobs[0]!.targetLanguages].sort()).toEqual(['de', 'it', 'ja']);
  });

  it('an edited version is a new key: its PENDING read queues a job of its own', async () => {
    const m = message();
    await textIn(translations.url, 'pt', m);
    await textIn(translations.url, 'pt', { ...m, version: 2, content: 'Hello again' });
    const jobs = await jobsSettled();
    expect(jobs.map((job) => [job.version, job.content]).sort()).toEqual([
      [1, m.content],
      [2, 'Hello again'],
    ]);
  });
});

describe('reads that queue nothing', () => {
  it('TRANSLATED, FAILED, ORIGINAL and deleted messages', async () => {
    const translated = message();
    await storeRow(translated, 'de', 'TRANSLATED');
    const failed = message();
    await storeRow(failed, 'de', 'FAILED');
    expect((await textIn(translations.url, 'de', translated)).status).toBe('TRANSLATED');
    expect((await textIn(translations.url, 'de', failed)).status).toBe('FAILED');
    expect((await textIn(translations.url, 'en', message())).status).toBe('ORIGINAL');
    expect((await textIn(translations.url, 'de', message({ deletedAt: new Date().toISOString() }))).status).toBe(
      'ORIGINAL',
    );
    expect(await jobsSettled()).toEqual([]);
  });
});

/** A TCP port where nothing answers: the service behind it is "down" for this subgraph only. */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('without Redis', () => {
  let alone: RunningSubgraph;
  beforeAll(async () => {
    alone = await startTranslationsSubgraph(
      loadTranslationsConfig({
        ...baseEnv,
        USERS_URL: users.url,
        AMQP_PREFIX: prefix,
        REDIS_URL: `redis://127.0.0.1:${await deadPort()}`,
      }),
      { logger },
    );
  });
  afterAll(async () => {
    await alone?.stop();
  });

  it('still answers PENDING and queues one job per key from this replica', async () => {
    const m = message();
    const answers = await Promise.all(Array.from({ length: 10 }, () => textIn(alone.url, 'fr', m)));
    expect(answers.every((answer) => answer.status === 'PENDING')).toBe(true);
    const jobs = await jobsSettled();
    expect(jobs.map((job) => [job.messageId, job.targetLanguages])).toEqual([[m.id, ['fr']]]);
  });
});

describe('without RabbitMQ', () => {
  let alone: RunningSubgraph;
  beforeAll(async () => {
    alone = await startTranslationsSubgraph(
      loadTranslationsConfig({
        ...baseEnv,
        USERS_URL: users.url,
        AMQP_PREFIX: prefix,
        AMQP_URL: `amqp://guest:guest@127.0.0.1:${await deadPort()}`,
      }),
      { logger },
    );
  });
  afterAll(async () => {
    await alone?.stop();
  });

  it('starts, and a read answers PENDING at once without taking the claim, so a later read asks again', async () => {
    const m = message();
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => textIn(alone.url, 'nl', m)));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answers.every((answer) => answer.status === 'PENDING')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await redis.exists(translationClaimKey(m.id, 1, 'nl'))).toBe(0);
    // The replica that reaches the broker queues it on the next read.
    await textIn(translations.url, 'nl', m);
    expect((await jobsSettled()).map((job) => job.messageId)).toEqual([m.id]);
  });
});
