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
import type { InferenceSession } from 'onnxruntime-node';

/** translator/models/: one directory per model, laid out as transformers.js expects (onnx/ beside the JSON files). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

export interface LoadSeq2SeqOptions {
  /** Directory holding the model directories; `name` is looked up inside it. */
  modelsDir?: string;
  logger: Pick<Logger, 'info' | 'debug'>;
}

/**
 * onnxruntime session options of every model the translator loads (encoder and decoder alike), and of
 * the bench's direct loop, so that it measures the same runtime.
 *
 * Intra-op threads do not spin while they wait for work. onnxruntime runs on the Node main thread
 * (the binding's `run` is synchronous), and between two decoder steps that thread picks the next
 * tokens in JavaScript (an argmax over batch × vocabulary logits), collects garbage, and serves the
 * event loop; a spinning intra-op thread takes a core from all of that, and on a small machine
 * (the bench's has two cores) from other processes too. Measured on bench-marian, batch of 16:
 * about a fifth less CPU time per batch, the same or less wall time, one sentence per call no slower.
 */
export const SESSION_OPTIONS: Readonly<InferenceSession.SessionOptions> = {
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};

/** For multilingual models (NLLB, M2M100) whose tokenizer builds translation inputs: their own language codes. */
export interface Seq2SeqLanguages {
  source: string;
  target: string;
}

export interface Seq2SeqModel {
  readonly name: string;
  /** Generated token ids per text, without the decoder start token, up to and including `</s>`. */
  generateIds(texts: string[], maxNewTokens: number, languages?: Seq2SeqLanguages): Promise<number[][]>;
  /** One batched greedy `generate` for all texts; returns one translation per text, in order. */
  translateBatch(texts: string[], maxNewTokens: number, languages?: Seq2SeqLanguages): Promise<string[]>;
  dispose(): Promise<void>;
}

interface TranslationInputsBuilder {
  _build_translation_inputs(
    texts: string[],
    tokenizerOptions: Record<string, unknown>,
    generateKwargs: Record<string, unknown>,
  ): Record<string, unknown>;
}

const buildsTranslationInputs = (tokenizer: object): tokenizer is TranslationInputsBuilder =>
  typeof (tokenizer as Partial<TranslationInputsBuilder>)._build_translation_inputs === 'function';

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

  const progress = (part: 'tokenizer' | 'weights') => {
    let reportedQuarter = -1;
    return (info: ProgressInfo) => {
      // 'progress_total' fires per chunk read; a line per quarter is what is worth keeping (a real
      // model's weights take seconds to read). The other events come once per file.
      if (info.status === 'progress_total') {
        const quarter = Math.floor(info.progress / 25);
        if (quarter > reportedQuarter) {
          reportedQuarter = quarter;
          const mb = Math.round(info.total / 1e5) / 10;
          logger.info({ model: name, part, percent: Math.floor(info.progress), mb }, 'model load progress');
        }
        return;
      }
      if (info.status === 'progress') return;
      logger.debug({ model: name, ...info }, 'model load');
    };
  };
  const started = performance.now();
  const tokenizer = await AutoTokenizer.from_pretrained(name, { progress_callback: progress('tokenizer') });
  // transformers.js reports overall progress for the weights only: this line is the tokenizer's.
  logger.info({ model: name, part: 'tokenizer', ms: Math.round(performance.now() - started) }, 'model load progress');
  // fp32 on the CPU named explicitly, so which ONNX files are read does not depend on library defaults.
  const model = await AutoModelForSeq2SeqLM.from_pretrained(name, {
    progress_callback: progress('weights'),
    dtype: 'fp32',
    device: 'cpu',
    session_options: { ...SESSION_OPTIONS },
  });
  logger.info({ model: name, ms: Math.round(performance.now() - started) }, 'model loaded');

  const eosIds = eosTokenIds(model);
  const maxInputTokens = Math.min(
    (tokenizer as { model_max_length?: number }).model_max_length ?? Infinity,
    (model.config as { max_position_embeddings?: number }).max_position_embeddings ?? Infinity,
    512,
  );

  async function generateIds(texts: string[], maxNewTokens: number, languages?: Seq2SeqLanguages): Promise<number[][]> {
    if (texts.length === 0) return [];
    // Right padding with an attention mask: the encoder and the cross-attention ignore the pad positions.
    // Truncation at the model's own window (a tokenizer may claim more positions than the model has).
    const tokenizerOptions = { padding: true, truncation: true, max_length: maxInputTokens };
    let inputs: Record<string, unknown>;
    const languageKwargs: Record<string, unknown> = {};
    if (languages && buildsTranslationInputs(tokenizer)) {
      // NLLB/M2M100: the source language token leads the input, and the target language token is
      // forced as the first generated token (the tokenizer sets forced_bos_token_id in the kwargs).
      const kwargs: Record<string, unknown> = { src_lang: languages.source, tgt_lang: languages.target };
      inputs = tokenizer._build_translation_inputs(texts, tokenizerOptions, kwargs);
      languageKwargs.forced_bos_token_id = kwargs.forced_bos_token_id;
    } else {
      inputs = tokenizer(texts, tokenizerOptions);
    }
    const output = await model.generate({
      ...inputs,
      ...languageKwargs,
      max_new_tokens: maxNewTokens,
      do_sample: false,
      num_beams: 1,
    });
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
    async translateBatch(texts, maxNewTokens, languages) {
      const ids = await generateIds(texts, maxNewTokens, languages);
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
