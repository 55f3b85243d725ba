/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { translationClaimKey } from '@parley/common';
import { Redis } from 'ioredis';
import { startTranslator, type RunningTranslator } from '../app';
import type { MemberLanguages } from '../members/member-languages';
import {
  eventually,
  Harness,
  messageEvent,
  testConfig,
  TEST_REDIS_URL,
  testLogger,
  translationRequest,
  uniquePrefix,
} from '../testing/harness';

/**
 * On-demand translation requests (`translator.translation-requests`) on the real services with the
 * tiny model: a language nobody in the conversation read when the message was sent is translated
 * once per (message, language, version) when asked, through the same path as member languages.
 */

class InMemoryMemberLanguages implements MemberLanguages {
  readonly languages = new Map<string, string[]>();
  async languagesOf(conversationId: string): Promise<string[]> {
    return this.languages.get(conversationId) ?? [];
  }
}

const prefix = uniquePrefix();
const harness = new Harness(prefix);
const members = new InMemoryMemberLanguages();
const redis = new Redis(TEST_REDIS_URL);
let translator: RunningTranslator;

function conversation(...languages: string[]): string {
  const id = randomUUID();
  members.languages.set(id, languages);
  return id;
}

/** Rows of the message once `count` are stored. */
async function rowsOnce(messageId: string, count: number) {
  return eventually(async () => {
    const rows = await harness.rows(messageId);
    return rows.length === count ? rows : undefined;
  });
}

beforeAll(async () => {
  // A base of 100 ms: a request that arrives before its message event waits about 1.5 s for it.
  translator = await startTranslator(testConfig(prefix, { TRANSLATION_RETRY_BASE_MS: '100' }), {
    logger: testLogger(),
    memberLanguages: members,
  });
  await harness.start();
});

afterAll(async () => {
  await translator?.stop();
  await harness.close();
  redis.disconnect();
});

describe('translation requests', () => {
  it('translate a language no member reads, once, and announce it', async () => {
    const event = messageEvent({ conversationId: conversation('en', 'fr'), originalLanguage: 'en' });
    await harness.publish(event);
    await rowsOnce(event.messageId, 1);
    // The member language was claimed, so a reader who saw it PENDING queued nothing more.
    expect(await redis.exists(translationClaimKey(event.messageId, 1, 'fr'))).toBe(1);

    const before = translator.stats().requests.acked;
    for (let i = 0; i < 4; i++) await harness.publishRequest(translationRequest(event, ['de']));
    await eventually(async () => translator.stats().requests.acked >= before + 4);
    const rows = await rowsOnce(event.messageId, 2);
    expect(rows.map((row) => [row.target_language, row.status, row.translation_model])).toEqual([
      ['de', 'TRANSLATED', 'test-tiny'],
      ['fr', 'TRANSLATED', 'test-tiny'],
    ]);
    const stored = await eventually(async () => {
      const events = harness.eventsOf(event.messageId).filter((e) => e.targetLanguage === 'de');
      return events.length > 0 ? events : undefined;
    });
    expect(stored).toEqual([
      expect.objectContaining({
        type: 'translation.stored',
        conversationId: event.conversationId,
        seq: event.seq,
        messageVersion: 1,
        sourceLanguage: 'en',
      }),
    ]);
  });

  it('skip the original language, languages already stored, and codes that are not supported', async () => {
    const event = messageEvent({ conversationId: conversation('en', 'es'), originalLanguage: 'en' });
    await harness.publish(event);
    await rowsOnce(event.messageId, 1);
    const before = translator.stats().requests.acked;
    await harness.publishRequest(translationRequest(event, ['en', 'es', 'xx', 'it']));
    await eventually(async () => translator.stats().requests.acked >= before + 1);
    const rows = await rowsOnce(event.messageId, 2);
    expect(rows.map((row) => row.target_language)).toEqual(['es', 'it']);
    expect(harness.eventsOf(event.messageId).filter((e) => e.targetLanguage === 'es')).toHaveLength(1);
  });

  it('wait for the message event when they arrive first', async () => {
    const event = messageEvent({ conversationId: conversation('en'), originalLanguage: 'en' });
    const requeuedBefore = translator.stats().requests.requeued;
    await harness.publishRequest(translationRequest(event, ['pt']));
    await eventually(async () => translator.stats().requests.requeued > requeuedBefore);
    await harness.publish(event);
    const rows = await rowsOnce(event.messageId, 1);
    expect(rows[0]).toMatchObject({ target_language: 'pt', status: 'TRANSLATED' });
  });

  it('give up on a message never recorded: nothing stored, not dead-lettered, the claim released', async () => {
    const event = messageEvent();
    await redis.set(translationClaimKey(event.messageId, 1, 'de'), 'translations', 'EX', 60);
    const deadBefore = translator.stats().requests.deadLettered;
    const ackedBefore = translator.stats().requests.acked;
    await harness.publishRequest(translationRequest(event, ['de']));
    // The counter alone could move for an earlier test's request; the released claim is this one's.
    await eventually(
      async () =>
        translator.stats().requests.acked > ackedBefore &&
        (await redis.exists(translationClaimKey(event.messageId, 1, 'de'))) === 0,
      20_000,
    );
    expect(translator.stats().requests.deadLettered).toBe(deadBefore);
    expect(await harness.rows(event.messageId)).toEqual([]);
    expect(await redis.exists(translationClaimKey(event.messageId, 1, 'de'))).toBe(0);
  });

  it('write nothing for an edited or deleted message', async () => {
    const conversationId = conversation('en');
    const edited = messageEvent({ conversationId });
    await harness.publish(edited);
    await harness.publish({ ...edited, eventId: randomUUID(), kind: 'message.edited', version: 2, content: 'Edited' });
    await eventually(async () => (await harness.state(edited.messageId))?.current_version === 2);
    const deleted = messageEvent({ conversationId });
    await harness.publish(deleted);
    await harness.publish({ ...deleted, eventId: randomUUID(), kind: 'message.deleted', content: '' });
    await eventually(async () => (await harness.state(deleted.messageId))?.deleted_at != null);

    const before = translator.stats().requests.acked;
    await harness.publishRequest(translationRequest(edited, ['de']));
    await harness.publishRequest(translationRequest(deleted, ['de']));
    await eventually(async () => translator.stats().requests.acked >= before + 2);
    expect(await harness.rows(edited.messageId)).toEqual([]);
    expect(await harness.rows(deleted.messageId)).toEqual([]);
  });

  it('a body that is no translation request goes to the dead-letter queue', async () => {
    const before = translator.stats().requests.deadLettered;
    await harness.publishRaw({ messageId: 'nope' }, 'translation.requested');
    await eventually(async () => translator.stats().requests.deadLettered > before);
    const dead = await eventually(async () => {
      const letters = await harness.drainDeadLetters();
      return letters.find((letter) => JSON.stringify(letter.body).includes('nope'));
    });
    expect(dead.reason).toBe('rejected');
  });
});

describe('translation requests where no model serves the pair', () => {
  const otherPrefix = uniquePrefix();
  const other = new Harness(otherPrefix);
  let basic: RunningTranslator;
  let emptyModels: string;

  beforeAll(async () => {
    emptyModels = await mkdtemp(path.join(tmpdir(), 'parley-no-models-'));
    basic = await startTranslator(testConfig(otherPrefix, { TRANSLATION_MODELS: 'basic', MODELS_DIR: emptyModels }), {
      logger: testLogger(),
      memberLanguages: members,
    });
    await other.start();
  });

  afterAll(async () => {
    await basic?.stop();
    await other.close();
    await rm(emptyModels, { recursive: true, force: true });
  });

  it('store FAILED rows with the reason, never invented text, and announce them', async () => {
    const event = messageEvent({ conversationId: conversation('en'), originalLanguage: 'en' });
    await other.publish(event);
    await eventually(async () => (await other.state(event.messageId)) !== undefined);
    await other.publishRequest(translationRequest(event, ['ko', 'de']));
    const rows = await eventually(async () => {
      const stored = await other.rows(event.messageId);
      return stored.length === 2 ? stored : undefined;
    });
    expect(rows).toEqual([
      expect.objectContaining({ target_language: 'de', status: 'FAILED', translated_content: null }),
      expect.objectContaining({ target_language: 'ko', status: 'FAILED', translated_content: null }),
    ]);
    expect(rows[0]!.failure_reason).toMatch(/not installed/);
    expect(rows[1]!.failure_reason).toMatch(/en.*ko|no model/i);
    const failed = await eventually(async () => {
      const events = other.eventsOf(event.messageId);
      return events.length === 2 ? events : undefined;
    });
    expect(failed.every((e) => e.type === 'translation.failed' && e.reason)).toBe(true);
  });
});
