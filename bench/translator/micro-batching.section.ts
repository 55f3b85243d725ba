import { MicroBatcher } from '@parley/translator';
import { paired } from '../support/paired';
import { seconds } from '../support/progress';
import { formatNumber } from '../support/report';
import { check, type Section } from '../support/section';
import { round } from '../support/stats';
import { chunk } from './batches';
import { CORPUS } from './corpus';
import { loadModel } from './load-model';
import type { TranslatorBenchOptions } from './options';

const TARGET_RATIO = 4;

/**
 * Sentences per second for the corpus, one translateBatch call per sentence against the same
 * sentences submitted together to the translator's MicroBatcher (its production window), which runs
 * them as one call per batch: what micro-batching buys when messages arrive faster than they translate.
 */
export function microBatchingSection(modelName: string, options: TranslatorBenchOptions): Section {
  const { rounds, maxNewTokens, batchSize } = options;
  const id = `micro-batching/${modelName}`;
  const title = `Micro-batching: one sentence per call vs ${batchSize} at once through the MicroBatcher (${modelName})`;
  return {
    group: 'translator',
    id,
    title,
    async run({ progress }) {
      const { model, loadMs } = await loadModel(modelName);
      const batcher = new MicroBatcher<string, string>({
        batchSize,
        windowMs: 10,
        groupKey: (group) => group,
        run: (_group, texts) => model.translateBatch(texts, maxNewTokens),
      });
      try {
        const batches = chunk(CORPUS, batchSize);
        progress(`loaded in ${seconds(loadMs)}; warming up`);
        // Warm-up on both shapes, and the output lengths the timed rounds will produce.
        const ids: number[][] = [];
        for (const batch of batches) ids.push(...(await model.generateIds(batch, maxNewTokens)));
        await model.translateBatch([CORPUS[0]!], maxNewTokens);
        const generated = ids.reduce((sum, row) => sum + row.length, 0);

        // Each pair: the same 16 sentences one per call, then as one batch (or the other way round).
        const result = await paired(
          batches,
          rounds,
          async (batch) => {
            for (const text of batch) await model.translateBatch([text], maxNewTokens);
          },
          (batch) => Promise.all(batch.map((text) => batcher.submit(modelName, text))),
          (r, pairs) => {
            const single = pairs.reduce((sum, p) => sum + p.aMs, 0);
            const batched = pairs.reduce((sum, p) => sum + p.bMs, 0);
            progress(
              `round ${r}/${rounds}: one per call ${seconds(single)}, batches of ${batchSize} ${seconds(batched)}`,
            );
          },
        );

        const sentences = CORPUS.length * rounds;
        const singleRate = sentences / (result.totalAMs / 1000);
        const batchedRate = sentences / (result.totalBMs / 1000);
        return {
          id,
          title,
          tables: [
            {
              title: `${CORPUS.length} sentences × ${rounds} round${rounds === 1 ? '' : 's'}, max_new_tokens ${maxNewTokens}`,
              columns: ['mode', 'sentences/s', 'ms/sentence'],
              rows: [
                ['translateBatch([text])', formatNumber(singleRate), formatNumber(1000 / singleRate)],
                [
                  `${batchSize} at once through the MicroBatcher`,
                  formatNumber(batchedRate),
                  formatNumber(1000 / batchedRate),
                ],
              ],
            },
          ],
          checks: [check(`batch ${batchSize} speed-up`, result.medianRatio, '>=', TARGET_RATIO, '×')],
          notes: [
            `Speed-up: median over ${result.pairs.length} back-to-back pairs (same ${batchSize} sentences each way), ` +
              `range ${formatNumber(result.minRatio)}–${formatNumber(result.maxRatio)}×; ratio of the totals ${formatNumber(batchedRate / singleRate)}×.`,
            `${generated} tokens generated for the ${CORPUS.length} sentences (${formatNumber(generated / CORPUS.length)} per sentence; ` +
              `random weights rarely emit \`</s>\`, so most run to max_new_tokens). Model loaded in ${seconds(loadMs)}.`,
          ],
          // Each submission of batchSize texts must have run as one batch, or the row measures something else.
          errors:
            batcher.stats.runs === result.pairs.length
              ? []
              : [
                  `the MicroBatcher ran ${batcher.stats.runs} batches for ${result.pairs.length} submissions of ${batchSize}`,
                ],
          data: {
            model: modelName,
            sentences: CORPUS.length,
            maxNewTokens,
            batchSize,
            rounds,
            generatedTokens: generated,
            loadMs: round(loadMs),
            singleSentencesPerSecond: round(singleRate, 3),
            batchedSentencesPerSecond: round(batchedRate, 3),
            medianPairRatio: round(result.medianRatio, 3),
            pairsMs: result.pairs.map((p) => ({ single: round(p.aMs), batched: round(p.bMs) })),
          },
        };
      } finally {
        await batcher.close();
        await model.dispose();
      }
    },
  };
}
