/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { randomUUID } from 'node:crypto';
import { DEV_SIGNING_SECRET, signRequest, TRANSLATE_PATH } from '@parley/common';
import { startTranslator, type RunningTranslator } from './app';
import { eventually, Harness, messageEvent, testConfig, testLogger, uniquePrefix } from './testing/harness';

/**
 * Redis is only a cache and a notice board: with nothing listening at REDIS_URL, translations are
 * still made and stored, promptly, and /ready names Redis as what is down.
 */
const prefix = uniquePrefix();
const harness = new Harness(prefix);
const conversationId = randomUUID();
let translator: RunningTranslator;

beforeAll(async () => {
  translator = await startTranslator(
    // Port 1: connections are refused at once, as with a stopped Redis.
    testConfig(prefix, { REDIS_URL: 'redis://127.0.0.1:1', REDIS_COMMAND_TIMEOUT_MS: '200' }),
    {
      logger: testLogger(),
      memberLanguages: { languagesOf: async (id) => (id === conversationId ? ['en', 'fr', 'es'] : []) },
    },
  );
});

afterAll(async () => {
  await translator?.stop();
  await harness.close();
});

it('stores translations without the cache, and does not wait for Redis', async () => {
  const event = messageEvent({ conversationId });
  const started = Date.now();
  await harness.publish(event);
  const rows = await eventually(async () => {
    const stored = await harness.rows(event.messageId);
    return stored.length === 2 ? stored : undefined;
  });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(rows.map((row) => [row.target_language, row.status, row.from_cache])).toEqual([
    ['es', 'TRANSLATED', false],
    ['fr', 'TRANSLATED', false],
  ]);
});

it('POST /translate still answers, never from the cache', async () => {
  const body = JSON.stringify({ text: 'Good evening', targetLanguage: 'de', sourceLanguage: 'en' });
  const call = async () => {
    const response = await fetch(`${translator.url}${TRANSLATE_PATH}`, {
      method: 'POST',
      headers: { ...signRequest(DEV_SIGNING_SECRET, { userId: randomUUID(), clientIp: '' }, body) },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  expect(await call()).toMatchObject({ status: 200, body: { translationModel: 'test-tiny', fromCache: false } });
  expect(await call()).toMatchObject({ status: 200, body: { fromCache: false } });
});

it('/ready answers 503 naming redis', async () => {
  const response = await fetch(`${translator.url}/ready`);
  expect(response.status).toBe(503);
  expect(await response.json()).toMatchObject({ status: 'unavailable', down: ['redis'] });
});
