import { createLogger } from '@parley/common';
import { loadSeq2Seq, type Seq2SeqModel } from '@parley/translator';

/** The translator's own loader, quiet: the bench prints its own progress. */
export async function loadModel(name: string): Promise<{ model: Seq2SeqModel; loadMs: number }> {
  const started = performance.now();
  const model = await loadSeq2Seq(name, { logger: createLogger('bench', 'warn') });
  return { model, loadMs: performance.now() - started };
}
