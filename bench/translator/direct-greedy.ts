import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer, type Tensor as HfTensor } from '@huggingface/transformers';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { MODELS_DIR, SESSION_OPTIONS } from '@parley/translator';

interface MarianConfig {
  d_model: number;
  decoder_layers: number;
  decoder_attention_heads: number;
  decoder_start_token_id: number;
  eos_token_id: number | number[];
}

interface GenerationConfig {
  bad_words_ids?: number[][];
  [key: string]: unknown;
}

/** Logits processors transformers.js would apply that this loop does not implement: refuse rather than differ. */
const UNSUPPORTED = [
  'repetition_penalty',
  'no_repeat_ngram_size',
  'min_length',
  'min_new_tokens',
  'forced_eos_token_id',
];

export interface DirectRun {
  /** Generated ids per text, up to and including the first </s> (the decoder start token left out). */
  ids: number[][];
  /** Decoder passes run, the first (cache-less) one included. */
  steps: number;
}

/**
 * Greedy decoding straight on onnxruntime-node over the same ONNX files transformers.js loads: the
 * encoder once, then the merged decoder one token at a time, its present.* fed back as
 * past_key_values.* (the cross-attention ones from the first pass only). What transformers.js adds on
 * top of this is its own overhead, which is what the comparison measures.
 */
export class DirectGreedy {
  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly encoder: InferenceSession,
    private readonly decoder: InferenceSession,
    private readonly config: MarianConfig,
    private readonly badWords: number[][],
  ) {}

  static async load(name: string): Promise<DirectGreedy> {
    const dir = path.join(MODELS_DIR, name);
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as MarianConfig;
    const generation = JSON.parse(await readFile(path.join(dir, 'generation_config.json'), 'utf8')) as GenerationConfig;
    const unsupported = UNSUPPORTED.filter((key) => generation[key] !== undefined && generation[key] !== null);
    if (unsupported.length > 0) throw new Error(`direct loop does not implement ${unsupported.join(', ')}`);

    // Same process-wide settings as loadSeq2Seq: local files only, read in place.
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = MODELS_DIR;
    env.useFSCache = false;
    const tokenizer = await AutoTokenizer.from_pretrained(name);
    // The session options loadSeq2Seq gives transformers.js, with the CPU provider its device 'cpu' picks.
    const options: InferenceSession.SessionOptions = { ...SESSION_OPTIONS, executionProviders: ['cpu'] };
    const encoder = await InferenceSession.create(path.join(dir, 'onnx', 'encoder_model.onnx'), options);
    const decoder = await InferenceSession.create(path.join(dir, 'onnx', 'decoder_model_merged.onnx'), options);
    return new DirectGreedy(tokenizer, encoder, decoder, config, generation.bad_words_ids ?? []);
  }

  async generateIds(texts: string[], maxNewTokens: number): Promise<DirectRun> {
    const batch = texts.length;
    const { input_ids, attention_mask } = this.tokenizer(texts, { padding: true, truncation: true }) as {
      input_ids: HfTensor;
      attention_mask: HfTensor;
    };
    const mask = toOrt(attention_mask);
    const encoded = await this.encoder.run({ input_ids: toOrt(input_ids), attention_mask: mask });
    const hidden = encoded['last_hidden_state']!;

    const { decoder_layers: layers, decoder_attention_heads: heads, d_model: dModel } = this.config;
    const empty = new Tensor('float32', new Float32Array(0), [batch, heads, 0, dModel / heads]);
    let past: Record<string, Tensor> = {};
    for (let i = 0; i < layers; i++) {
      for (const part of ['decoder.key', 'decoder.value', 'encoder.key', 'encoder.value']) {
        past[`past_key_values.${i}.${part}`] = empty;
      }
    }

    const eos = new Set([this.config.eos_token_id].flat());
    const start = this.config.decoder_start_token_id;
    const sequences = Array.from({ length: batch }, () => [start]);
    const done = new Array<boolean>(batch).fill(false);
    let next = new BigInt64Array(batch).fill(BigInt(start));
    let steps = 0;
    while (steps < maxNewTokens && !done.every(Boolean)) {
      const outputs = await this.decoder.run({
        encoder_attention_mask: mask,
        input_ids: new Tensor('int64', next, [batch, 1]),
        encoder_hidden_states: hidden,
        ...past,
        // The first pass computes the cross-attention keys/values; later ones reuse them from the cache.
        use_cache_branch: new Tensor('bool', Uint8Array.of(steps === 0 ? 0 : 1), [1]),
      });
      steps++;
      const logits = outputs['logits']!;
      const vocab = logits.dims[2]!;
      const data = logits.data as Float32Array;
      next = new BigInt64Array(batch);
      for (let row = 0; row < batch; row++) {
        const sequence = sequences[row]!;
        if (done[row]) {
          // A finished row's further tokens are never read; it only has to keep the batch's shape.
          next[row] = BigInt(start);
          continue;
        }
        const id = this.argmax(data, row * vocab, vocab, sequence);
        sequence.push(id);
        next[row] = BigInt(id);
        if (eos.has(id)) done[row] = true;
      }
      // The cross-attention entries are computed once, by the first pass; later passes return empty
      // placeholders for them (an optimum merged decoder's with-past branch), so they are kept, as
      // transformers.js does (getPastKeyValues).
      const nextPast: Record<string, Tensor> = {};
      for (const [key, value] of Object.entries(outputs)) {
        if (!key.startsWith('present.')) continue;
        const name = `past_key_values.${key.slice('present.'.length)}`;
        nextPast[name] = steps > 1 && key.includes('.encoder.') ? past[name]! : value;
      }
      past = nextPast;
    }
    return { ids: sequences.map((sequence) => sequence.slice(1)), steps };
  }

  /**
   * Greedy choice as transformers.js makes it: bad words first (a banned sequence's last id gets
   * -Infinity when the ids so far end with the rest of it), then the first maximum.
   */
  private argmax(data: Float32Array, offset: number, vocab: number, sequence: number[]): number {
    for (const word of this.badWords) {
      const prefix = word.slice(0, -1);
      const tail = sequence.slice(sequence.length - prefix.length);
      if (prefix.length <= sequence.length && prefix.every((id, i) => id === tail[i])) {
        data[offset + word.at(-1)!] = -Infinity;
      }
    }
    let best = 0;
    let bestValue = data[offset]!;
    for (let i = 1; i < vocab; i++) {
      const value = data[offset + i]!;
      if (value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    return best;
  }

  async dispose(): Promise<void> {
    await this.encoder.release();
    await this.decoder.release();
  }
}

function toOrt(tensor: HfTensor): Tensor {
  return new Tensor('int64', tensor.data as BigInt64Array, tensor.dims);
}
