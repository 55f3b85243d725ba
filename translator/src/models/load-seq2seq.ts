import { fileURLToPath } from 'node:url';
import {
  AutoModelForSeq2SeqLM,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type ProgressInfo,
} from '@huggingface/transformers';
import type { Logger } from '@parley/common';

/** translator/models/: one directory per model, laid out as transformers.js expects (onnx/ beside the JSON files). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

export interface LoadSeq2SeqOptions {
  /** Directory holding the model directories; `name` is looked up inside it. */
  modelsDir?: string;
  logger: Pick<Logger, 'info' | 'debug'>;
}

export interface Seq2SeqModel {
  readonly name: string;
  /** Generated token ids per text, without the decoder start token, up to and including `</s>`. */
  generateIds(texts: string[], maxNewTokens: number): Promise<number[][]>;
  /** One batched greedy `generate` for all texts; returns one translation per text, in order. */
  translateBatch(texts: string[], maxNewTokens: number): Promise<string[]>;
  dispose(): Promise<void>;
}

/**
 * Loads a Marian-style encoder-decoder (tokenizer.json, config.json, onnx/encoder_model.onnx,
 * onnx/decoder_model_merged.onnx) from the local models directory. Nothing is ever fetched: the
 * worker must start the same way offline, and a missing file should fail loudly rather than download.
 *
 * `env` is process-wide in transformers.js, so every model in one process comes from one models
 * directory.
 */
export async function loadSeq2Seq(name: string, options: LoadSeq2SeqOptions): Promise<Seq2SeqModel> {
  const { logger } = options;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = options.modelsDir ?? MODELS_DIR;
  // Local files are read in place; a cache copy would only be written next to the installed package.
  env.useFSCache = false;

  const onProgress = (info: ProgressInfo) => {
    // 'progress' fires per chunk; the other events once per file, which is what is worth keeping.
    if (info.status === 'progress' || info.status === 'progress_total') return;
    logger.debug({ model: name, ...info }, 'model load');
  };
  const started = performance.now();
  const tokenizer = await AutoTokenizer.from_pretrained(name, { progress_callback: onProgress });
  // fp32 on the CPU named explicitly, so which ONNX files are read does not depend on library defaults.
  const model = await AutoModelForSeq2SeqLM.from_pretrained(name, {
    progress_callback: onProgress,
    dtype: 'fp32',
    device: 'cpu',
  });
  logger.info({ model: name, ms: Math.round(performance.now() - started) }, 'model loaded');

  const eosIds = eosTokenIds(model);

  async function generateIds(texts: string[], maxNewTokens: number): Promise<number[][]> {
    if (texts.length === 0) return [];
    // Right padding with an attention mask: the encoder and the cross-attention ignore the pad positions.
    const inputs = tokenizer(texts, { padding: true, truncation: true });
    const output = await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false, num_beams: 1 });
    if (!(output instanceof Tensor)) throw new Error('generate returned a dict; expected the sequences tensor');
    const rows = (output.tolist() as bigint[][]).map((row) => row.map(Number));
    // Each row starts with the decoder start token. A finished row keeps being extended until every
    // row is done (transformers.js does not pad it), so what follows its first </s> is no translation.
    return rows.map((row) => {
      const generated = row.slice(1);
      const end = generated.findIndex((id) => eosIds.has(id));
      return end === -1 ? generated : generated.slice(0, end + 1);
    });
  }

  return {
    name,
    generateIds,
    async translateBatch(texts, maxNewTokens) {
      const ids = await generateIds(texts, maxNewTokens);
      return ids.map((row) => tokenizer.decode(row, { skip_special_tokens: true }));
    },
    async dispose() {
      await model.dispose();
    },
  };
}

function eosTokenIds(model: PreTrainedModel): Set<number> {
  const configured = model.generation_config?.eos_token_id ?? (model.config as { eos_token_id?: number }).eos_token_id;
  const ids = configured === undefined || configured === null ? [] : [configured].flat();
  if (ids.length === 0) {
    throw new Error('model has no eos_token_id; generation could not tell where a translation ends');
  }
  return new Set(ids);
}
