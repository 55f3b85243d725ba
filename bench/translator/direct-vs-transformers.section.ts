import { paired } from '../support/paired';
import { formatNumber } from '../support/report';
import { check, type Section } from '../support/section';
import { round } from '../support/stats';
import { seconds } from '../support/progress';
import { chunk } from './batches';
import { CORPUS } from './corpus';
import { DirectGreedy } from './direct-greedy';
import { loadModel } from './load-model';
import type { TranslatorBenchOptions } from './options';

const TARGET_RATIO = 1.2;

/**
 * transformers.js generate (through loadSeq2Seq's generateIds) against a hand-written greedy loop on
 * onnxruntime-node over the same ONNX files, in batches: the price of the library's generation code.
 * The two must produce the same ids, or the comparison means nothing.
 */
export function directVsTransformersSection(modelName: string, options: TranslatorBenchOptions): Section {
  const { rounds, maxNewTokens, batchSize } = options;
  const id = `direct-vs-transformers/${modelName}`;
  const title = `transformers.js generate vs direct onnxruntime-node greedy loop, batches of ${batchSize} (${modelName})`;
  return {
    group: 'translator',
    id,
    title,
    async run({ progress }) {
      const { model, loadMs } = await loadModel(modelName);
      let loaded: DirectGreedy | undefined;
      try {
        const directLoad = performance.now();
        const direct = (loaded = await DirectGreedy.load(modelName));
        const directLoadMs = performance.now() - directLoad;
        const batches = chunk(CORPUS, batchSize);
        progress(`loaded (transformers.js ${seconds(loadMs)}, direct ${seconds(directLoadMs)}); comparing ids`);

        // The comparison run doubles as warm-up for both.
        let mismatches = 0;
        let firstMismatch: string | undefined;
        let directSteps = 0;
        let generated = 0;
        for (const batch of batches) {
          const expected = await model.generateIds(batch, maxNewTokens);
          const actual = await direct.generateIds(batch, maxNewTokens);
          directSteps += actual.steps;
          for (const [i, row] of expected.entries()) {
            generated += row.length;
            const other = actual.ids[i] ?? [];
            if (row.length === other.length && row.every((tokenId, j) => tokenId === other[j])) continue;
            mismatches++;
            firstMismatch ??= `${JSON.stringify(batch[i])}: transformers.js [${row.join(', ')}], direct [${other.join(', ')}]`;
          }
        }
        progress(`${mismatches} of ${CORPUS.length} sentences differ`);

        // Each pair: one batch through transformers.js and through the direct loop, back to back.
        const result = await paired(
          batches,
          rounds,
          (batch) => model.generateIds(batch, maxNewTokens),
          (batch) => direct.generateIds(batch, maxNewTokens),
          (r, pairs) => {
            const library = pairs.reduce((sum, p) => sum + p.aMs, 0);
            const handWritten = pairs.reduce((sum, p) => sum + p.bMs, 0);
            progress(`round ${r}/${rounds}: transformers.js ${seconds(library)}, direct ${seconds(handWritten)}`);
          },
        );
        const sentences = CORPUS.length * rounds;
        const libraryRate = sentences / (result.totalAMs / 1000);
        const directRate = sentences / (result.totalBMs / 1000);
        const tokensPerSentence = generated / CORPUS.length;
        const row = (label: string, rate: number) => [
          label,
          formatNumber(rate),
          formatNumber(rate * tokensPerSentence),
        ];
        const errors =
          mismatches > 0
            ? [`direct loop and transformers.js disagree on ${mismatches} sentences, first: ${firstMismatch ?? ''}`]
            : [];
        return {
          id,
          title,
          tables: [
            {
              title: `${CORPUS.length} sentences in batches of ${batchSize} × ${rounds} round${rounds === 1 ? '' : 's'}, max_new_tokens ${maxNewTokens}`,
              columns: ['path', 'sentences/s', 'tokens/s'],
              rows: [row('transformers.js generateIds', libraryRate), row('direct onnxruntime-node loop', directRate)],
            },
          ],
          checks: [check('transformers.js time / direct time', result.medianRatio, '<=', TARGET_RATIO, '×')],
          notes: [
            `Ratio: median over ${result.pairs.length} back-to-back pairs (same batch both ways), ` +
              `range ${formatNumber(result.minRatio)}–${formatNumber(result.maxRatio)}×; ratio of the totals ${formatNumber(directRate / libraryRate)}×.`,
            `Token ids: ${mismatches} of ${CORPUS.length} sentences differ between the two paths${mismatches === 0 ? ' (identical)' : ''}.`,
            `The direct loop ran ${directSteps} decoder passes for ${batches.length} batches (at most ${batches.length * maxNewTokens}); ` +
              'it stops a batch once every row has emitted `</s>`, transformers.js only when every row ends in `</s>` at the same step.',
          ],
          errors,
          data: {
            model: modelName,
            sentences: CORPUS.length,
            maxNewTokens,
            batchSize,
            rounds,
            generatedTokens: generated,
            mismatches,
            directDecoderPasses: directSteps,
            transformersSentencesPerSecond: round(libraryRate, 3),
            directSentencesPerSecond: round(directRate, 3),
            medianPairRatio: round(result.medianRatio, 3),
            pairsMs: result.pairs.map((p) => ({ transformers: round(p.aMs), direct: round(p.bMs) })),
          },
        };
      } finally {
        await model.dispose();
        await loaded?.dispose();
      }
    },
  };
}
