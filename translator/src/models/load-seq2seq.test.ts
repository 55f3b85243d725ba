/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env, LogLevel } from '@huggingface/transformers';
import type { Logger } from '@parley/common';
import { loadSeq2Seq, MODELS_DIR, type Seq2SeqModel } from './load-seq2seq';
import { ModelRegistry } from './model-registry';

/**
 * Runs the tiny random-weight Marian model (scripts/generate-tiny-marian.py) through the same loading
 * and batched generation a real model gets. Its translations are gibberish; what matters is that
 * batching, padding and the KV cache change nothing about what the model computes.
 */

const MAX_NEW_TOKENS = 16;

interface ReferenceDecode {
  text: string;
  input_ids: number[];
  output_ids: number[];
  translation: string;
}

const reference = JSON.parse(readFileSync(path.join(MODELS_DIR, 'test-tiny', 'reference-decodes.json'), 'utf8')) as {
  max_new_tokens: number;
  decodes: ReferenceDecode[];
};

// Different lengths, so that the batch is padded; 'Wie geht es dir heute?' stops with </s> early.
const SENTENCES = [
  'Hi',
  'Wie geht es dir heute?',
  'good morning',
  'Thank you very much for the help with this!',
  'Où est la gare?',
  'The 3 quick foxes jumped over 12 lazy dogs (again)!',
  "I'm here",
  'Merci beaucoup, à demain.',
];

interface LogLine {
  level: 'info' | 'debug' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

/** A logger that keeps every line, in order, with its structured fields. */
function recordingLogger() {
  const lines: LogLine[] = [];
  const record = (level: LogLine['level']) => (obj: object, msg?: string) =>
    void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const logger = { info: record('info'), debug: record('debug'), warn: record('warn'), error: record('error') };
  return { logger: logger as typeof logger & Logger, lines };
}

/** The aggregate progress lines ('progress_total', one per quarter reached), with a `part` and a `percent`. */
const progressLines = (lines: LogLine[]) =>
  lines.filter((line) => line.level === 'info' && typeof line.obj.part === 'string' && 'percent' in line.obj);
const loadedLines = (lines: LogLine[]) =>
  lines.filter((line) => line.level === 'info' && 'ms' in line.obj && !('part' in line.obj));
/** The line that says the tokenizer is ready, before any weights are read. */
const tokenizerLines = (lines: LogLine[]) =>
  lines.filter((line) => line.level === 'info' && line.obj.part === 'tokenizer' && 'ms' in line.obj);
/** Per-file events (initiate, download, done) that load-seq2seq passes on at debug level. */
const fileEvents = (lines: LogLine[]) =>
  lines.filter((line) => line.level === 'debug').map((line) => line.obj as { status?: string; file?: string });

/** Everything the beforeAll load logged. */
const { logger, lines: firstLoad } = recordingLogger();

let model: Seq2SeqModel;

beforeAll(async () => {
  // Silences the MarianTokenizer's warning that it is not a "fast" tokenizer, printed on every load.
  env.logLevel = LogLevel.ERROR;
  model = await loadSeq2Seq('test-tiny', { logger });
});

afterAll(async () => {
  await model?.dispose();
});

test('loads both ONNX files of the merged-decoder layout', () => {
  const done = fileEvents(firstLoad)
    .filter((e) => e.status === 'done')
    .map((e) => e.file);
  expect(done).toEqual(expect.arrayContaining(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']));
});

describe('load progress in the log', () => {
  test('every file is announced and finished, the tokenizer before the weights', () => {
    const events = fileEvents(firstLoad);
    for (const file of ['tokenizer.json', 'config.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']) {
      const statuses = events.filter((e) => e.file === file).map((e) => e.status);
      expect({ file, statuses }).toEqual({ file, statuses: expect.arrayContaining(['initiate', 'done']) });
      expect({ file, last: statuses.at(-1) }).toEqual({ file, last: 'done' });
    }
    for (const line of firstLoad.filter((l) => l.level === 'debug')) expect(line.obj.model).toBe('test-tiny');
    const tokenizerDone = firstLoad.findIndex(
      (l) => l.level === 'debug' && l.obj.file === 'tokenizer.json' && l.obj.status === 'done',
    );
    const firstWeights = firstLoad.findIndex((l) => l.level === 'debug' && l.obj.file === 'onnx/encoder_model.onnx');
    expect(tokenizerDone).toBeGreaterThanOrEqual(0);
    expect(tokenizerDone).toBeLessThan(firstWeights);
  });

  test('the weights report aggregate progress that never goes back and reaches 100%', () => {
    const progress = progressLines(firstLoad);
    for (const line of progress) {
      expect(line.obj).toEqual({
        model: 'test-tiny',
        part: expect.stringMatching(/^(tokenizer|weights)$/),
        percent: expect.any(Number),
        mb: expect.any(Number),
      });
    }
    const weights = progress.filter((line) => line.obj.part === 'weights');
    // The tiny files are read in one go each, so there may be a single line; the last one is complete.
    expect(weights.length).toBeGreaterThanOrEqual(1);
    for (const part of new Set(progress.map((line) => line.obj.part))) {
      const percents = progress.filter((line) => line.obj.part === part).map((line) => line.obj.percent as number);
      for (const percent of percents) expect(percent).toBeGreaterThanOrEqual(0);
      // Non-decreasing, and at most one line per quarter.
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      const quarters = percents.map((percent) => Math.floor(percent / 25));
      expect(new Set(quarters).size).toBe(quarters.length);
      expect({ part, last: percents.at(-1) }).toEqual({ part, last: 100 });
      // The total size of the part's files: the same on every line (0.5 MB of ONNX for test-tiny).
      const sizes = new Set(progress.filter((line) => line.obj.part === part).map((line) => line.obj.mb));
      expect(sizes.size).toBe(1);
    }
    expect(weights.at(-1)?.obj.mb).toBeGreaterThan(0);
  });

  test('one line when the tokenizer is ready, before the weights are read', () => {
    const ready = tokenizerLines(firstLoad);
    expect(ready).toHaveLength(1);
    expect(ready[0]?.obj).toEqual({ model: 'test-tiny', part: 'tokenizer', ms: expect.any(Number) });
    const firstWeights = firstLoad.findIndex((l) => l.level === 'debug' && l.obj.file === 'onnx/encoder_model.onnx');
    expect(firstLoad.indexOf(ready[0]!)).toBeLessThan(firstWeights);
  });

  test('one "loaded" line with the duration, after all progress', () => {
    const loaded = loadedLines(firstLoad);
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.obj).toEqual({ model: 'test-tiny', ms: expect.any(Number) });
    expect(loaded[0]?.obj.ms).toBeGreaterThanOrEqual(0);
    expect(firstLoad.at(-1)).toBe(loaded[0]);
  });

  test('through the registry: loaded on first use only, "loading model" then progress then "loaded", once per load', async () => {
    const { logger: registryLogger, lines } = recordingLogger();
    const registry = new ModelRegistry({
      modelSet: 'test-tiny',
      modelsDir: MODELS_DIR,
      maxLoaded: 1,
      logger: registryLogger,
    });
    try {
      expect(registry.resolve('en', 'de')).toMatchObject({ ok: true, route: { name: 'test-tiny' } });
      expect(lines.filter((line) => line.level !== 'debug')).toEqual([]);

      const first = await registry.use('test-tiny', (m) => m.translateBatch(['Hi'], MAX_NEW_TOKENS));
      const again = await registry.use('test-tiny', (m) => m.translateBatch(['Hi'], MAX_NEW_TOKENS));
      expect(again).toEqual(first);

      // The registry's "loading model" line: the only one that names the models directory.
      const starts = lines.filter((line) => line.level === 'info' && 'modelsDir' in line.obj);
      expect(starts).toHaveLength(1);
      expect(starts[0]?.obj).toMatchObject({ model: 'test-tiny', modelsDir: MODELS_DIR, loaded: [] });
      expect(loadedLines(lines)).toHaveLength(1);
      const start = lines.indexOf(starts[0]!);
      const progress = progressLines(lines).filter((line) => line.obj.part === 'weights');
      expect(progress.length).toBeGreaterThanOrEqual(1);
      for (const line of progress) expect(lines.indexOf(line)).toBeGreaterThan(start);
      expect(lines.indexOf(loadedLines(lines)[0]!)).toBeGreaterThan(lines.indexOf(progress.at(-1)!));
      expect(lines.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
    } finally {
      await registry.dispose();
    }
  });
});

test('translates a padded batch, each sentence as it would be alone', async () => {
  const batched = await model.translateBatch(SENTENCES, MAX_NEW_TOKENS);
  expect(batched).toHaveLength(SENTENCES.length);
  for (const translation of batched) expect(typeof translation).toBe('string');
  // Random weights still map each sentence somewhere of its own; identical outputs would hide padding errors.
  expect(new Set(batched).size).toBeGreaterThan(4);

  const alone = [];
  for (const sentence of SENTENCES) alone.push(...(await model.translateBatch([sentence], MAX_NEW_TOKENS)));
  expect(batched).toEqual(alone);
});

test('is deterministic across runs and across loads', async () => {
  const first = await model.translateBatch(SENTENCES, MAX_NEW_TOKENS);
  const again = await model.translateBatch(SENTENCES, MAX_NEW_TOKENS);
  const other = await loadSeq2Seq('test-tiny', { logger: recordingLogger().logger });
  try {
    expect(again).toEqual(first);
    expect(await other.translateBatch(SENTENCES, MAX_NEW_TOKENS)).toEqual(first);
  } finally {
    await other.dispose();
  }
});

test('the tokenizer splits text as the generator did', async () => {
  // loadSeq2Seq has pointed transformers.js at MODELS_DIR, offline.
  const tokenizer = await AutoTokenizer.from_pretrained('test-tiny');
  for (const { text, input_ids } of reference.decodes) {
    expect({ text, ids: tokenizer.encode(text) }).toEqual({ text, ids: input_ids });
  }
});

test('batched, cached decoding matches torch greedy decoding without cache or batch', async () => {
  expect(reference.max_new_tokens).toBe(MAX_NEW_TOKENS);
  // The reference sentences mixed into a batch with others, so padding and early </s> are exercised.
  const texts = [...reference.decodes.map((d) => d.text), ...SENTENCES.slice(0, 3)];
  const ids = await model.generateIds(texts, MAX_NEW_TOKENS);
  const translations = await model.translateBatch(texts, MAX_NEW_TOKENS);
  reference.decodes.forEach((expected, i) => {
    // The reference starts with the decoder start token, which generateIds leaves out.
    expect({ text: expected.text, ids: ids[i] }).toEqual({ text: expected.text, ids: expected.output_ids.slice(1) });
    expect(translations[i]).toBe(expected.translation);
  });
  expect(reference.decodes.some((d) => d.output_ids.length - 1 < MAX_NEW_TOKENS)).toBe(true);
});

test('truncates an input longer than the model window (4000 characters) instead of failing', async () => {
  const long = 'The meeting moved to Thursday afternoon because the manager is travelling. '.repeat(53).slice(0, 4000);
  const single = await model.translateBatch(['The meeting moved to Thursday afternoon.'], MAX_NEW_TOKENS);
  const [translated, short] = await model.translateBatch([long, 'The meeting moved to Thursday afternoon.'], 8);
  expect(typeof translated).toBe('string');
  expect(translated!.length).toBeGreaterThan(0);
  // A batch mixing a truncated and a short text still answers each text in order.
  expect(short).toEqual((await model.translateBatch(['The meeting moved to Thursday afternoon.'], 8))[0]);
  expect(single).toHaveLength(1);
});
