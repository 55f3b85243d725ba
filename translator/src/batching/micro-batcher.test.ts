import { BatchCancelledError, MicroBatcher } from './micro-batcher';

interface Pair {
  model: string;
  source: string;
  target: string;
}

interface Call {
  group: Pair;
  inputs: string[];
}

/** A batcher whose run uppercases its inputs and records every call. */
function recordingBatcher(options: { batchSize: number; windowMs: number; failOn?: string; failAll?: boolean }) {
  const calls: Call[] = [];
  const batcher = new MicroBatcher<Pair, string>({
    batchSize: options.batchSize,
    windowMs: options.windowMs,
    groupKey: (pair) => `${pair.model}|${pair.source}|${pair.target}`,
    run: async (group, inputs) => {
      calls.push({ group, inputs });
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (options.failAll) throw new Error('model down');
      if (options.failOn && inputs.includes(options.failOn)) throw new Error(`cannot translate ${options.failOn}`);
      return inputs.map((input) => input.toUpperCase());
    },
    splitOnError: (error) => !(error instanceof Error && error.message === 'model down'),
  });
  return { batcher, calls };
}

const frEn: Pair = { model: 'm1', source: 'fr', target: 'en' };
const frDe: Pair = { model: 'm1', source: 'fr', target: 'de' };
const frEnOther: Pair = { model: 'm2', source: 'fr', target: 'en' };

describe('MicroBatcher', () => {
  it('runs a group as soon as it holds batchSize inputs, without waiting for the window', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 3, windowMs: 60_000 });
    const started = performance.now();
    const results = await Promise.all(['a', 'b', 'c'].map((text) => batcher.submit(frEn, text)));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(results).toEqual(['A', 'B', 'C']);
    expect(calls).toEqual([{ group: frEn, inputs: ['a', 'b', 'c'] }]);
  });

  it('runs a partial group once its oldest input has waited the window', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 100, windowMs: 40 });
    const started = performance.now();
    const pending = [batcher.submit(frEn, 'a'), batcher.submit(frEn, 'b')];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toHaveLength(0);
    expect(batcher.pending).toBe(2);
    expect(await Promise.all(pending)).toEqual(['A', 'B']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(calls).toEqual([{ group: frEn, inputs: ['a', 'b'] }]);
  });

  it('splits more than batchSize inputs into full batches', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 4, windowMs: 5 });
    const texts = Array.from({ length: 10 }, (_, i) => `t${i}`);
    expect(await Promise.all(texts.map((text) => batcher.submit(frEn, text)))).toEqual(
      texts.map((t) => t.toUpperCase()),
    );
    expect(calls.map((call) => call.inputs.length)).toEqual([4, 4, 2]);
  });

  it('groups by model and language pair: one run per group, each with its own inputs', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 16, windowMs: 5 });
    const results = await Promise.all([
      batcher.submit(frEn, 'a'),
      batcher.submit(frDe, 'b'),
      batcher.submit(frEn, 'c'),
      batcher.submit(frEnOther, 'd'),
      batcher.submit(frDe, 'e'),
    ]);
    expect(results).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(calls).toHaveLength(3);
    expect(calls).toEqual(
      expect.arrayContaining([
        { group: frEn, inputs: ['a', 'c'] },
        { group: frDe, inputs: ['b', 'e'] },
        { group: frEnOther, inputs: ['d'] },
      ]),
    );
  });

  it('gathers inputs that arrive while a batch runs into the next full batch', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 5, windowMs: 0 });
    const first = batcher.submit(frEn, 'first');
    const rest = Array.from({ length: 5 }, (_, i) => batcher.submit(frEn, `r${i}`));
    await Promise.all([first, ...rest]);
    expect(calls.map((call) => call.inputs.length)).toEqual([1, 5]);
  });

  it('drops cancelled inputs that still wait, and only those', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 100, windowMs: 30 });
    const kept = batcher.submit(frEn, 'keep', 'm1@1');
    const dropped = [batcher.submit(frEn, 'drop', 'm2@1'), batcher.submit(frDe, 'drop too', 'm2@2')];
    const untagged = batcher.submit(frDe, 'no tag');
    expect(batcher.cancel((tag) => tag.startsWith('m2@'))).toBe(2);
    for (const promise of dropped) await expect(promise).rejects.toBeInstanceOf(BatchCancelledError);
    expect(await kept).toBe('KEEP');
    expect(await untagged).toBe('NO TAG');
    expect(calls.flatMap((call) => call.inputs).sort()).toEqual(['keep', 'no tag']);
    expect(batcher.stats.cancelled).toBe(2);
    expect(batcher.cancel('m1@1')).toBe(0);
  });

  it('retries a failing batch in halves, so one bad input fails alone', async () => {
    const { batcher } = recordingBatcher({ batchSize: 4, windowMs: 5, failOn: 'bad' });
    const results = await Promise.allSettled(['a', 'bad', 'c', 'd'].map((text) => batcher.submit(frEn, text)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('cannot translate bad'));
  });

  it('does not split failures that do not depend on the inputs', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 4, windowMs: 5, failAll: true });
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((text) => batcher.submit(frEn, text)));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('close runs what waits at once and refuses new inputs', async () => {
    const { batcher, calls } = recordingBatcher({ batchSize: 100, windowMs: 60_000 });
    const pending = batcher.submit(frEn, 'late');
    await batcher.close();
    expect(await pending).toBe('LATE');
    expect(calls).toHaveLength(1);
    await expect(batcher.submit(frEn, 'after')).rejects.toBeInstanceOf(BatchCancelledError);
  });
});
