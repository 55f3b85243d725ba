/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { randomUUID } from 'node:crypto';
import { DEV_SIGNING_SECRET, signRequest, TRANSLATE_PATH, type MessageEvent } from '@parley/common';
import { startTranslator, type RunningTranslator } from './app';
import type { MemberLanguages } from './members/member-languages';
import { loadSeq2Seq } from './models/load-seq2seq';
import type { ModelLoader } from './models/model-registry';
import { eventually, Harness, messageEvent, testConfig, testLogger, uniquePrefix } from './testing/harness';

/**
 * The worker end to end on the real services with the tiny model: message events in through
 * RabbitMQ, rows in PostgreSQL, translation events on Redis, and the internal HTTP API.
 */

/** Texts containing this make the (wrapped) model throw, as a broken input would. */
const BREAKS_THE_MODEL = 'BREAKS-THE-MODEL';
/** A batch with a text containing this waits until `releaseHold` is called, holding the batcher busy. */
const HOLDS_THE_BATCHER = 'HOLDS-THE-BATCHER';
let hold: Promise<void> = Promise.resolve();
let releaseHold: () => void = () => undefined;
/** Set once a batch holding `HOLDS_THE_BATCHER` is inside the model, i.e. the batcher is busy. */
let holdEntered = false;

/** Conversation → member languages; a conversation in `unreachable` throws, as a subgraph outage would. */
class InMemoryMemberLanguages implements MemberLanguages {
  readonly languages = new Map<string, string[]>();
  readonly unreachable = new Set<string>();

  async languagesOf(conversationId: string): Promise<string[]> {
    if (this.unreachable.has(conversationId)) throw new Error('conversations subgraph unreachable');
    return this.languages.get(conversationId) ?? [];
  }
}

const loadModel: ModelLoader = async (name, options) => {
  const model = await loadSeq2Seq(name, options);
  return {
    ...model,
    async translateBatch(texts, maxNewTokens, languages) {
      if (texts.some((text) => text.includes(BREAKS_THE_MODEL))) throw new Error('the model cannot take this text');
      if (texts.some((text) => text.includes(HOLDS_THE_BATCHER))) {
        holdEntered = true;
        await hold;
      }
      return model.translateBatch(texts, maxNewTokens, languages);
    },
  };
};

const prefix = uniquePrefix();
const harness = new Harness(prefix);
const members = new InMemoryMemberLanguages();
let translator: RunningTranslator;

/** A conversation whose members read `languages`. */
function conversation(...languages: string[]): string {
  const id = randomUUID();
  members.languages.set(id, languages);
  return id;
}

async function handled(count: number): Promise<void> {
  await eventually(async () => translator.stats().events.acked >= count);
}

beforeAll(async () => {
  translator = await startTranslator(testConfig(prefix), { logger: testLogger(), memberLanguages: members, loadModel });
  await harness.start();
});

afterAll(async () => {
  releaseHold();
  await translator?.stop();
  await harness.close();
});

describe('message events', () => {
  it('stores one TRANSLATED row per member language other than the original, and announces each on Redis', async () => {
    const event = messageEvent({ conversationId: conversation('en', 'fr', 'de', 'fr'), originalLanguage: 'en' });
    await harness.publish(event);

    const rows = await eventually(async () => {
      const stored = await harness.rows(event.messageId);
      return stored.length === 2 ? stored : undefined;
    });
    expect(rows).toEqual([
      expect.objectContaining({ target_language: 'de', message_version: 1, status: 'TRANSLATED', from_cache: false }),
      expect.objectContaining({ target_language: 'fr', message_version: 1, status: 'TRANSLATED', from_cache: false }),
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ translation_model: 'test-tiny', source_language: 'en', failure_reason: null });
      expect(typeof row.translated_content).toBe('string');
    }
    expect(await harness.state(event.messageId)).toMatchObject({ current_version: 1, deleted_at: null });

    const events = await eventually(async () => {
      const seen = harness.eventsOf(event.messageId);
      return seen.length === 2 ? seen : undefined;
    });
    expect(events.map((e) => e.targetLanguage).sort()).toEqual(['de', 'fr']);
    for (const published of events) {
      expect(published).toMatchObject({
        type: 'translation.stored',
        conversationId: event.conversationId,
        seq: event.seq,
        messageVersion: 1,
        sourceLanguage: 'en',
        translationModel: 'test-tiny',
        reason: null,
      });
    }
  });

  it('a message nobody reads in another language stores nothing', async () => {
    const before = translator.stats().events.acked;
    const event = messageEvent({ conversationId: conversation('fr'), originalLanguage: 'fr' });
    await harness.publish(event);
    await handled(before + 1);
    expect(await harness.rows(event.messageId)).toEqual([]);
  });

  it('the same event twice still makes one row per language; the same text again comes from the cache', async () => {
    const conversationId = conversation('en', 'es');
    const event = messageEvent({ conversationId });
    const before = translator.stats().events.acked;
    await harness.publish(event);
    await harness.publish(event);
    await handled(before + 2);
    const rows = await harness.rows(event.messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target_language: 'es', status: 'TRANSLATED', from_cache: false });

    const again = messageEvent({ conversationId, content: event.content, seq: 2 });
    await harness.publish(again);
    const [cached] = await eventually(async () => {
      const stored = await harness.rows(again.messageId);
      return stored.length === 1 ? stored : undefined;
    });
    expect(cached).toMatchObject({ from_cache: true, translated_content: rows[0]?.translated_content });
  });

  it('an edit translates the new version and removes the stale rows', async () => {
    const conversationId = conversation('en', 'fr', 'it');
    const created = messageEvent({ conversationId });
    await harness.publish(created);
    await eventually(async () => (await harness.rows(created.messageId)).length === 2);

    const edited: MessageEvent = {
      ...created,
      eventId: randomUUID(),
      kind: 'message.edited',
      version: 2,
      content: `Edited: ${randomUUID()}`,
    };
    await harness.publish(edited);
    const rows = await eventually(async () => {
      const stored = await harness.rows(created.messageId);
      return stored.length === 2 && stored.every((row) => row.message_version === 2) ? stored : undefined;
    });
    expect(rows.map((row) => [row.target_language, row.status])).toEqual([
      ['fr', 'TRANSLATED'],
      ['it', 'TRANSLATED'],
    ]);
    expect(await harness.state(created.messageId)).toMatchObject({ current_version: 2, deleted_at: null });

    // The version-1 event arriving late (a redelivery) changes nothing.
    const before = translator.stats().events.acked;
    await harness.publish({ ...created, eventId: randomUUID() });
    await handled(before + 1);
    expect((await harness.rows(created.messageId)).map((row) => row.message_version)).toEqual([2, 2]);
  });

  it('a deletion removes every row and marks the state deleted; later events write nothing', async () => {
    const conversationId = conversation('en', 'de');
    const created = messageEvent({ conversationId });
    await harness.publish(created);
    await eventually(async () => (await harness.rows(created.messageId)).length === 1);

    await harness.publish({ ...created, eventId: randomUUID(), kind: 'message.deleted', content: '' });
    await eventually(async () => (await harness.state(created.messageId))?.deleted_at);
    expect(await harness.rows(created.messageId)).toEqual([]);

    const before = translator.stats().events.acked;
    await harness.publish({ ...created, eventId: randomUUID(), kind: 'message.edited', version: 2 });
    await handled(before + 1);
    expect(await harness.rows(created.messageId)).toEqual([]);
    expect(await harness.state(created.messageId)).toMatchObject({ current_version: 2 });
  });

  it('a deletion drops the work of its message that still waits in the batcher', async () => {
    hold = new Promise((resolve) => (releaseHold = resolve));
    holdEntered = false;
    const held = messageEvent({
      conversationId: conversation('en', 'ru'),
      content: `${HOLDS_THE_BATCHER} ${randomUUID()}`,
    });
    try {
      await harness.publish(held);
      // Waiting on the model itself, not on counters: a busy batcher is what the next event must meet.
      await eventually(async () => holdEntered);

      const created = messageEvent({ conversationId: conversation('en', 'nl') });
      await harness.publish(created);
      await eventually(async () => translator.engine.batcher.pending === 1);
      const cancelledBefore = translator.stats().cancelled;
      await harness.publish({ ...created, eventId: randomUUID(), kind: 'message.deleted', content: '' });
      await eventually(async () => translator.stats().cancelled === cancelledBefore + 1);
      releaseHold();

      await eventually(async () => (await harness.rows(held.messageId)).length === 1);
      expect(await harness.rows(created.messageId)).toEqual([]);
      expect(await harness.state(created.messageId)).toMatchObject({ deleted_at: expect.any(Date) });
    } finally {
      // A failure here must not leave the batcher held for every later test.
      releaseHold();
    }
  });

  it('micro-batches: 20 events of one pair published together take far fewer inference calls', async () => {
    const conversationId = conversation('en', 'pt');
    const events = Array.from({ length: 20 }, (_, i) => messageEvent({ conversationId, seq: i + 1 }));
    const before = translator.stats().inferenceCalls;
    await Promise.all(events.map((event) => harness.publish(event)));
    await eventually(async () => {
      const counts = await Promise.all(events.map(async (event) => (await harness.rows(event.messageId)).length));
      return counts.every((count) => count === 1);
    });
    const calls = translator.stats().inferenceCalls - before;
    expect(calls).toBeGreaterThan(0);
    // Typically 2 or 3 (batches of 16); the bound leaves room for a slow machine.
    expect(calls).toBeLessThan(events.length / 2);
  });
});

describe('failures', () => {
  it('a payload that is no MessageEvent goes to the dead-letter queue at once; valid events keep flowing', async () => {
    const before = translator.stats().events.deadLettered;
    await harness.publishRaw('this is not json');
    await harness.publishRaw({ kind: 'message.created', messageId: 'nope' });
    const valid = messageEvent({ conversationId: conversation('en', 'fr') });
    await harness.publish(valid);

    await eventually(async () => (await harness.rows(valid.messageId)).length === 1);
    await eventually(async () => translator.stats().events.deadLettered >= before + 2);
    const dead = await eventually(async () => {
      const all = await harness.drainDeadLetters();
      const poison = all.filter(
        (entry) => entry.body === 'this is not json' || (entry.body as { messageId?: string })?.messageId === 'nope',
      );
      return poison.length === 2 ? poison : undefined;
    });
    expect(dead.map((entry) => entry.reason)).toEqual(['rejected', 'rejected']);
  });

  it('a message that fails on every delivery is marked FAILED and dead-lettered after the delivery limit', async () => {
    const conversationId = conversation('en', 'fr', 'de');
    const failing = messageEvent({ conversationId, content: `${BREAKS_THE_MODEL} ${randomUUID()}` });
    const fine = messageEvent({ conversationId, seq: 2 });
    await harness.publish(failing);
    await harness.publish(fine);

    // The failing text shares batches with others; they are split apart, so only it fails.
    await eventually(async () => (await harness.rows(fine.messageId)).length === 2);
    const rows = await eventually(async () => {
      const stored = await harness.rows(failing.messageId);
      return stored.length === 2 ? stored : undefined;
    });
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'FAILED', translated_content: null, translation_model: 'test-tiny' });
      expect(row.failure_reason).toMatch(/last allowed delivery.*cannot take this text/);
    }
    const failed = await eventually(async () => {
      const seen = harness.eventsOf(failing.messageId).filter((e) => e.type === 'translation.failed');
      return seen.length >= 2 ? seen : undefined;
    });
    expect(failed[0]).toMatchObject({ translationModel: 'test-tiny', reason: expect.stringMatching(/cannot take/) });

    const dead = await eventually(async () =>
      (await harness.drainDeadLetters()).find(
        (entry) => (entry.body as MessageEvent | undefined)?.messageId === failing.messageId,
      ),
    );
    expect(dead.reason).toBe('rejected');
  });

  it('waits out an outage of the member lookup without using up deliveries, then translates; others flow', async () => {
    const broken = conversation('en', 'fr');
    members.unreachable.add(broken);
    const stuck = messageEvent({ conversationId: broken });
    const other = messageEvent({ conversationId: conversation('en', 'fr') });
    const before = translator.stats().events;
    await harness.publish(stuck);
    await harness.publish(other);

    await eventually(async () => (await harness.rows(other.messageId)).length === 1);
    // Well past the time the delivery limit would take with requeues: still held, nothing dead-lettered.
    await eventually(async () => translator.stats().events.retriedInPlace - before.retriedInPlace >= 8);
    expect(translator.stats().events.requeued).toBe(before.requeued);
    expect(translator.stats().events.deadLettered).toBe(before.deadLettered);
    expect(await harness.rows(stuck.messageId)).toEqual([]);

    // The dependency heals: the translation arrives, as the contract promises after any fault.
    members.unreachable.delete(broken);
    await eventually(async () => (await harness.rows(stuck.messageId)).length === 1);
  });
});

describe('HTTP', () => {
  const post = async (body: unknown, signed = true) => {
    const raw = JSON.stringify(body);
    const response = await fetch(`${translator.url}${TRANSLATE_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signed ? signRequest(DEV_SIGNING_SECRET, { userId: randomUUID(), clientIp: '' }, raw) : {}),
      },
      body: raw,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('serves /health and /ready', async () => {
    expect((await fetch(`${translator.url}/health`)).status).toBe(200);
    const ready = await fetch(`${translator.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { postgresql: 'up', redis: 'up', rabbitmq: 'up' } });
  });

  it('POST /translate: signed 200, then the same text from the cache', async () => {
    const text = `Good morning, ${randomUUID()}`;
    const first = await post({ text, targetLanguage: 'fr', sourceLanguage: 'en' });
    expect(first).toEqual({
      status: 200,
      body: {
        sourceLanguage: 'en',
        targetLanguage: 'fr',
        translatedContent: expect.any(String),
        translationModel: 'test-tiny',
        fromCache: false,
      },
    });
    const second = await post({ text, targetLanguage: 'fr', sourceLanguage: 'en' });
    expect(second.body).toEqual({ ...first.body, fromCache: true });
  });

  it('POST /translate detects the source language, and answers the text itself for the same language', async () => {
    const detected = await post({
      text: 'Bonjour tout le monde, comment allez-vous aujourd’hui ?',
      targetLanguage: 'en',
    });
    expect(detected.body).toMatchObject({ sourceLanguage: 'fr', targetLanguage: 'en', translationModel: 'test-tiny' });
    const same = await post({ text: 'Hello', targetLanguage: 'en', sourceLanguage: 'en' });
    expect(same.body).toEqual({
      sourceLanguage: 'en',
      targetLanguage: 'en',
      translatedContent: 'Hello',
      translationModel: 'identity',
      fromCache: false,
    });
  });

  it('POST /translate refuses unsigned requests and bad input', async () => {
    expect((await post({ text: 'Hello', targetLanguage: 'fr' }, false)).status).toBe(401);
    expect(await post({ text: 'Hello', targetLanguage: 'xx' })).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST' } },
    });
    expect(await post({ targetLanguage: 'fr' })).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST' } },
    });
    expect(await post({ text: '1234 !!!', targetLanguage: 'fr' })).toMatchObject({
      status: 422,
      body: { error: { code: 'UNDETECTABLE' } },
    });
    expect(await post({ text: 'a'.repeat(4001), targetLanguage: 'fr', sourceLanguage: 'en' })).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST' } },
    });
  });

  it('POST /translate takes 4000 characters counted as the subgraphs count them: an emoji is one', async () => {
    // 8000 UTF-16 units: the limit counted in code points, as Query.translate and sendMessage count it.
    const text = '😀'.repeat(3999) + randomUUID().slice(0, 1);
    expect(text.length).toBeGreaterThan(4000);
    const answer = await post({ text, targetLanguage: 'fr', sourceLanguage: 'en' });
    expect(answer).toMatchObject({ status: 200, body: { translationModel: 'test-tiny', fromCache: false } });
  });
});
