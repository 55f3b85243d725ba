/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { randomUUID } from 'node:crypto';
import { startTranslator } from './app';
import { loadSeq2Seq } from './models/load-seq2seq';
import type { ModelLoader } from './models/model-registry';
import { eventually, Harness, messageEvent, testConfig, testLogger, uniquePrefix } from './testing/harness';

/** stop() while a batch runs: the batch finishes, the waiting work runs, everything is stored and acked. */
const prefix = uniquePrefix();
const harness = new Harness(prefix);
const HOLD = 'HOLD-THE-BATCH';
let releaseHold: () => void = () => undefined;
const hold = new Promise<void>((resolve) => (releaseHold = resolve));
let batchesStarted = 0;

const loadModel: ModelLoader = async (name, options) => {
  const model = await loadSeq2Seq(name, options);
  return {
    ...model,
    async translateBatch(texts, maxNewTokens, languages) {
      batchesStarted += 1;
      if (texts.some((text) => text.includes(HOLD))) await hold;
      return model.translateBatch(texts, maxNewTokens, languages);
    },
  };
};

afterAll(async () => {
  releaseHold();
  await harness.close();
});

it('finishes the running batch and the waiting work, acks, and leaves nothing in the queue', async () => {
  const conversationId = randomUUID();
  const translator = await startTranslator(testConfig(prefix), {
    logger: testLogger(),
    memberLanguages: { languagesOf: async (id) => (id === conversationId ? ['en', 'fr'] : []) },
    loadModel,
  });
  const held = messageEvent({ conversationId, content: `${HOLD} ${randomUUID()}` });
  await harness.publish(held);
  await eventually(async () => batchesStarted === 1);
  const waiting = Array.from({ length: 3 }, (_, i) => messageEvent({ conversationId, seq: i + 2 }));
  for (const event of waiting) await harness.publish(event);
  await eventually(async () => translator.engine.batcher.pending === 3);

  let stopped = false;
  const stopping = translator.stop().then(() => (stopped = true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(stopped).toBe(false);
  releaseHold();
  await stopping;

  for (const event of [held, ...waiting]) {
    expect((await harness.rows(event.messageId)).map((row) => row.status)).toEqual(['TRANSLATED']);
  }
  expect(translator.stats().events).toMatchObject({ acked: 4, requeued: 0, deadLettered: 0 });
  const { messageCount } = await harness.amqp.queueDeclare({ queue: harness.topology.translatorQueue, passive: true });
  expect(messageCount).toBe(0);
});
