/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env, LogLevel } from '@huggingface/transformers';
import { loadSeq2Seq, MODELS_DIR, type Seq2SeqModel } from './load-seq2seq';

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

const events: { status?: string; file?: string }[] = [];
const logger = {
  debug: (obj: object) => void events.push(obj),
  info: () => undefined,
};

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
  const done = events.filter((e) => e.status === 'done').map((e) => e.file);
  expect(done).toEqual(expect.arrayContaining(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']));
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
  const other = await loadSeq2Seq('test-tiny', { logger });
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
