import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@parley/common';
import type { TranslationCache } from '../cache/translation-cache';
import type { Seq2SeqLanguages } from '../models/load-seq2seq';
import { MODEL_FILES, NLLB_MODEL, type TranslationModelSet } from '../models/model-catalog';
import { ModelRegistry } from '../models/model-registry';
import { BatchCancelledError } from '../batching/micro-batcher';
import { cacheKey } from '../cache/cache-key';
import { TranslationEngine } from './translation-engine';

const silent = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A cache in memory that counts its round trips, standing in for Redis: `get` answers the keys
 * asked for in one tick together, as TranslationCache does (translation-cache.int.test.ts).
 */
class MemoryCache {
  readonly values = new Map<string, string>();
  gets = 0;
  private asked: Array<{ key: string; answer: (value: string | null) => void }> = [];
  async getMany(keys: string[]) {
    this.gets += 1;
    return keys.map((key) => this.values.get(key) ?? null);
  }
  get(key: string) {
    return new Promise<string | null>((answer) => {
      if (this.asked.length === 0) {
        process.nextTick(async () => {
          const asked = this.asked;
          this.asked = [];
          const values = await this.getMany(asked.map((a) => a.key));
          asked.forEach((a, i) => a.answer(values[i] ?? null));
        });
      }
      this.asked.push({ key, answer });
    });
  }
  async setMany(entries: Array<[string, string]>) {
    for (const [key, value] of entries) this.values.set(key, value);
  }
}

let modelsDir: string;
const calls: Array<{ model: string; texts: string[]; languages?: Seq2SeqLanguages }> = [];

/** An engine over models that answer `name(text)`, unless `translateBatch` says otherwise. */
function engineFor(
  modelSet: TranslationModelSet,
  cache = new MemoryCache(),
  options: { windowMs?: number; translateBatch?: (texts: string[]) => Promise<string[]> } = {},
) {
  const registry = new ModelRegistry({
    modelSet,
    modelsDir,
    maxLoaded: 4,
    logger: silent as unknown as Logger,
    load: async (name) => ({
      name,
      generateIds: async () => [],
      translateBatch: async (texts, _max, languages) => {
        calls.push({ model: name, texts, languages });
        return options.translateBatch ? options.translateBatch(texts) : texts.map((text) => `${name}(${text})`);
      },
      dispose: async () => undefined,
    }),
  });
  const engine = new TranslationEngine({
    registry,
    cache: cache as unknown as TranslationCache,
    batchSize: 16,
    windowMs: options.windowMs ?? 5,
    maxNewTokens: 64,
    logger: silent as unknown as Logger,
  });
  return { engine, cache };
}

function route(engine: TranslationEngine, source: string, target: string) {
  const lookup = engine.resolve(source, target);
  if (!lookup.ok) throw new Error(lookup.reason);
  return lookup.route;
}

beforeAll(() => {
  modelsDir = mkdtempSync(path.join(tmpdir(), 'parley-engine-'));
  for (const name of ['opus-mt-ja-en', 'opus-mt-en-de', 'opus-mt-en-ROMANCE', 'opus-mt-fr-en', NLLB_MODEL.name]) {
    for (const file of MODEL_FILES) {
      mkdirSync(path.dirname(path.join(modelsDir, name, file.path)), { recursive: true });
      writeFileSync(path.join(modelsDir, name, file.path), '{}');
    }
  }
});

afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

beforeEach(() => {
  calls.length = 0;
});

describe('TranslationEngine', () => {
  it('one cache round trip before batching and one per batch, one model call per batch; identical texts are translated once', async () => {
    const { engine, cache } = engineFor('basic');
    const fr = route(engine, 'fr', 'en');
    const results = await Promise.all(['un', 'deux', 'un'].map((text) => engine.translate(fr, text)));
    expect(results.map((result) => result.text)).toEqual([
      'opus-mt-fr-en(un)',
      'opus-mt-fr-en(deux)',
      'opus-mt-fr-en(un)',
    ]);
    expect(cache.gets).toBe(2);
    expect(calls).toEqual([{ model: 'opus-mt-fr-en', texts: ['un', 'deux'], languages: undefined }]);
    expect(engine.stats).toMatchObject({ inferenceCalls: 1, inferenceTexts: 2, cacheHits: 0, cacheMisses: 3 });

    const again = await engine.translate(fr, 'deux');
    expect(again).toEqual({ text: 'opus-mt-fr-en(deux)', model: 'opus-mt-fr-en', fromCache: true });
    expect(calls).toHaveLength(1);
    expect(cache.gets).toBe(3);
    expect(engine.stats).toMatchObject({ cacheHits: 1, cacheMisses: 3 });
  });

  it('answers a cached text at once, without waiting for the batch window or a running batch', async () => {
    let held = false;
    let finishBatch = () => {};
    let batchStarted = () => {};
    const started = new Promise<void>((resolve) => (batchStarted = resolve));
    const { engine, cache } = engineFor('basic', new MemoryCache(), {
      windowMs: 60_000,
      // The first batch runs until the test lets it finish; later ones at once.
      translateBatch: (texts) => {
        const answer = texts.map((text) => `<${text}>`);
        if (held) return Promise.resolve(answer);
        held = true;
        batchStarted();
        return new Promise((resolve) => (finishBatch = () => resolve(answer)));
      },
    });
    const fr = route(engine, 'fr', 'en');
    cache.values.set(cacheKey('bonjour', 'fr', 'en', 'opus-mt-fr-en'), 'hello');
    // A full batch is running (batchSize texts run at once, without the window) and holds the model.
    const running = Promise.all(Array.from({ length: 16 }, (_, i) => engine.translate(fr, `texte ${i}`)));
    await started;
    // A miss waits for the 60 s window; the hit does not wait for it, nor for the running batch.
    const waiting = engine.translate(fr, 'pas encore');
    expect(await engine.translate(fr, 'bonjour')).toEqual({ text: 'hello', model: 'opus-mt-fr-en', fromCache: true });
    expect(held).toBe(true);
    finishBatch();
    await running;
    await engine.close();
    await waiting.catch(() => undefined);
  }, 5_000);

  it('goes through English step by step, named after both models; from the cache only when both steps were', async () => {
    const { engine } = engineFor('basic');
    const jaDe = route(engine, 'ja', 'de');
    expect(await engine.translate(jaDe, 'こんにちは')).toEqual({
      text: 'opus-mt-en-de(opus-mt-ja-en(こんにちは))',
      model: 'opus-mt-ja-en+opus-mt-en-de',
      fromCache: false,
    });
    expect(await engine.translate(jaDe, 'こんにちは')).toMatchObject({ fromCache: true });
  });

  it('puts the target token in front of the text for multi-target models', async () => {
    const { engine } = engineFor('basic');
    await engine.translate(route(engine, 'en', 'pt'), 'Good morning');
    expect(calls).toEqual([{ model: 'opus-mt-en-ROMANCE', texts: ['>>pt<< Good morning'], languages: undefined }]);
  });

  it('translates a long text as sentence chunks, each with the target token, and joins them', async () => {
    const { engine } = engineFor('basic');
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} of a long message.`).join(' ');
    const result = await engine.translate(route(engine, 'en', 'pt'), long);
    const inputs = calls.flatMap((call) => call.texts);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.every((input) => input.startsWith('>>pt<< ') && input.length <= 400 + 7)).toBe(true);
    expect(result.text).toBe(inputs.map((input) => `opus-mt-en-ROMANCE(${input})`).join(' '));
  });

  it('passes NLLB its own language codes', async () => {
    const { engine } = engineFor('premium');
    await engine.translate(route(engine, 'ja', 'ko'), 'こんにちは');
    expect(calls).toEqual([
      { model: NLLB_MODEL.name, texts: ['こんにちは'], languages: { source: 'jpn_Jpan', target: 'kor_Hang' } },
    ]);
  });

  it('cancels a text whose cache lookup is still out: it never reaches the batcher or the model', async () => {
    let answerLookup = (_value: string | null) => {};
    const cache = new MemoryCache();
    cache.get = () => new Promise<string | null>((answer) => (answerLookup = answer));
    const { engine } = engineFor('basic', cache);
    const translating = engine.translate(route(engine, 'fr', 'en'), 'bonjour', 'message-1:1');
    const outcome = translating.then(
      () => 'translated',
      (error: unknown) => error,
    );
    expect(engine.cancel('message-2:1')).toBe(0);
    expect(engine.cancel('message-1:1')).toBe(1);
    answerLookup(null);
    expect(await outcome).toBeInstanceOf(BatchCancelledError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
    expect(engine.batcher.stats.runs).toBe(0);
  });

  it('a cancelled route through English stops after the step that was running', async () => {
    let finishFirstStep = () => {};
    let firstStepStarted = () => {};
    const started = new Promise<void>((resolve) => (firstStepStarted = resolve));
    const { engine } = engineFor('basic', new MemoryCache(), {
      // The first step runs until the test lets it finish; a second would answer at once.
      translateBatch: (texts) => {
        const answer = texts.map((text) => `<${text}>`);
        if (calls.length > 1) return Promise.resolve(answer);
        firstStepStarted();
        return new Promise((resolve) => (finishFirstStep = () => resolve(answer)));
      },
    });
    const translating = engine.translate(route(engine, 'ja', 'de'), 'こんにちは', 'message-1:1');
    const outcome = translating.then(
      () => 'translated',
      (error: unknown) => error,
    );
    await started;
    // The running step is not waiting anywhere: nothing to drop now, but no second step follows.
    expect(engine.cancel((tag) => tag.startsWith('message-1:'))).toBe(0);
    finishFirstStep();
    expect(await outcome).toBeInstanceOf(BatchCancelledError);
    expect(calls.map((call) => call.model)).toEqual(['opus-mt-ja-en']);
  });

  it('a cancel does not touch texts with other tags or without one', async () => {
    const { engine } = engineFor('basic');
    const fr = route(engine, 'fr', 'en');
    const untagged = engine.translate(fr, 'un');
    const other = engine.translate(fr, 'deux', 'message-2:1');
    expect(engine.cancel('message-1:1')).toBe(0);
    expect((await untagged).text).toBe('opus-mt-fr-en(un)');
    expect((await other).text).toBe('opus-mt-fr-en(deux)');
  });

  it('needs no model for blank texts', async () => {
    const { engine } = engineFor('basic');
    expect(await engine.translate(route(engine, 'fr', 'en'), '  ')).toMatchObject({ text: '  ' });
    expect(calls).toEqual([]);
  });
});
