import type { Logger } from '@parley/common';
import { BatchCancelledError, MicroBatcher } from '../batching/micro-batcher';
import { cacheKey } from '../cache/cache-key';
import type { TranslationCache } from '../cache/translation-cache';
import type { RouteLookup, RouteStep, TranslationRoute } from '../models/model-catalog';
import { ModelLoadError, type ModelRegistry } from '../models/model-registry';
import { joinTranslatedChunks, splitForTranslation } from '../models/split-for-translation';

export interface TranslationEngineOptions {
  registry: ModelRegistry;
  cache: TranslationCache;
  batchSize: number;
  windowMs: number;
  /** TRANSLATION_MAX_NEW_TOKENS; a model's own lower cap wins. */
  maxNewTokens: number;
  logger: Logger;
}

export interface Translated {
  text: string;
  /** The route's name (`opus-mt-fr-en`, or `opus-mt-ja-en+opus-mt-en-de` through English). */
  model: string;
  /** Every step came from the cache. */
  fromCache: boolean;
}

interface StepResult {
  text: string;
  fromCache: boolean;
}

/** A tagged translate() call in progress; `cancel` marks it so that it submits no further step. */
interface TaggedJob {
  tag: string;
  /** Waiting for a cache lookup (not in the batcher, which cancels what waits there itself). */
  lookingUp: boolean;
  cancelled: boolean;
}

export interface TranslationEngineStats {
  /** Batched model calls (one per group and batch). */
  inferenceCalls: number;
  /** Texts those calls translated. */
  inferenceTexts: number;
  /** Steps answered from the cache, before batching or in a batch. */
  cacheHits: number;
  /** Texts a batch found in neither lookup. */
  cacheMisses: number;
}

/**
 * The one path every translation takes, message events and POST /translate alike. Each step is
 * looked up in the cache first (the lookups of one tick share a round trip), and a hit is the
 * answer at once: it never waits for a batch window or a running batch. Misses go to the batcher,
 * which gathers texts per model and language pair; each batch is looked up once more with one
 * MGET (an identical text may have been translated while it waited), and only what is still
 * missing goes through the model, in one batched generate.
 */
export class TranslationEngine {
  readonly stats: TranslationEngineStats = { inferenceCalls: 0, inferenceTexts: 0, cacheHits: 0, cacheMisses: 0 };
  readonly batcher: MicroBatcher<RouteStep, StepResult>;
  private readonly tagged = new Set<TaggedJob>();

  constructor(private readonly options: TranslationEngineOptions) {
    this.batcher = new MicroBatcher<RouteStep, StepResult>({
      batchSize: options.batchSize,
      windowMs: options.windowMs,
      groupKey: (step) => `${step.model.name}\u0000${step.source}\u0000${step.target}`,
      run: (step, texts) => this.runStep(step, texts),
      splitOnError: (error) => !(error instanceof ModelLoadError),
    });
  }

  resolve(source: string, target: string): RouteLookup {
    return this.options.registry.resolve(source, target);
  }

  /**
   * Translates `text` along `route`; `tag` (the message id) lets `cancel` drop it while it waits:
   * in the batcher, in a cache lookup, or between the steps of a route through English.
   */
  async translate(route: TranslationRoute, text: string, tag?: string): Promise<Translated> {
    const job: TaggedJob | undefined = tag === undefined ? undefined : { tag, lookingUp: false, cancelled: false };
    if (job) this.tagged.add(job);
    try {
      let current = text;
      let fromCache = route.steps.length > 0;
      for (const step of route.steps) {
        if (job) job.lookingUp = true;
        const cached = await this.options.cache.get(cacheKey(current, step.source, step.target, step.model.name));
        if (job) job.lookingUp = false;
        // A cancel that came during the lookup (or while the previous step ran) found nothing in the batcher.
        if (job?.cancelled) throw new BatchCancelledError();
        if (cached !== null) {
          this.stats.cacheHits += 1;
          current = cached;
          continue;
        }
        const result = await this.batcher.submit(step, current, tag);
        current = result.text;
        fromCache &&= result.fromCache;
      }
      return { text: current, model: route.name, fromCache };
    } finally {
      if (job) this.tagged.delete(job);
    }
  }

  /**
   * Drops work by tag: what waits in the batcher (see MicroBatcher.cancel) and what waits for a
   * cache lookup, and stops routes through English before their next step. Texts already in a
   * running batch finish. Returns how many waiting texts were dropped.
   */
  cancel(match: string | ((tag: string) => boolean)): number {
    const matches = typeof match === 'string' ? (tag: string) => tag === match : match;
    let lookingUp = 0;
    for (const job of this.tagged) {
      if (job.cancelled || !matches(job.tag)) continue;
      job.cancelled = true;
      if (job.lookingUp) lookingUp += 1;
    }
    return this.batcher.cancel(match) + lookingUp;
  }

  async close(): Promise<void> {
    await this.batcher.close();
  }

  private async runStep(step: RouteStep, texts: string[]): Promise<StepResult[]> {
    const { model } = step;
    const keys = texts.map((text) => cacheKey(text, step.source, step.target, model.name));
    const cached = await this.options.cache.getMany(keys);
    const results: Array<StepResult | undefined> = cached.map((value) =>
      value === null ? undefined : { text: value, fromCache: true },
    );

    // Blank texts need no model; identical texts in one batch are translated once.
    const toTranslate = new Map<string, number[]>();
    texts.forEach((text, i) => {
      if (results[i]) return;
      if (text.trim() === '') {
        results[i] = { text, fromCache: false };
        return;
      }
      toTranslate.set(text, [...(toTranslate.get(text) ?? []), i]);
    });
    const hits = results.filter((result) => result?.fromCache).length;
    this.stats.cacheHits += hits;
    this.stats.cacheMisses += texts.length - hits;

    if (toTranslate.size > 0) {
      const unique = [...toTranslate.keys()];
      const prefix = model.targetTokens?.[step.target];
      // Long texts go in as chunks of whole sentences (rows of the same batch), each with the
      // target token of a multi-target model, and come back joined.
      const chunked = unique.map((text) => splitForTranslation(text));
      const inputs = chunked.flatMap((chunks) =>
        chunks.map((chunk) => (prefix ? `${prefix} ${chunk.text}` : chunk.text)),
      );
      const codes = model.languageCodes;
      const languages =
        codes?.[step.source] && codes[step.target]
          ? { source: codes[step.source] as string, target: codes[step.target] as string }
          : undefined;
      const maxNewTokens = Math.min(this.options.maxNewTokens, model.maxNewTokens ?? Infinity);

      const started = performance.now();
      this.options.logger.debug(
        { model: model.name, pair: `${step.source}-${step.target}`, batchSize: texts.length, inferred: unique.length },
        'batch started',
      );
      const translatedChunks = await this.options.registry.use(model.name, (loaded) =>
        loaded.translateBatch(inputs, maxNewTokens, languages),
      );
      if (translatedChunks.length !== inputs.length) {
        throw new Error(`${model.name} returned ${translatedChunks.length} translations for ${inputs.length} inputs`);
      }
      let next = 0;
      const outputs = chunked.map((chunks) =>
        joinTranslatedChunks(chunks, translatedChunks.slice(next, (next += chunks.length))),
      );
      const ms = Math.round(performance.now() - started);
      if (outputs.length !== unique.length) {
        throw new Error(`${model.name} returned ${outputs.length} translations for ${unique.length} texts`);
      }
      this.stats.inferenceCalls += 1;
      this.stats.inferenceTexts += unique.length;
      this.options.logger.info(
        {
          model: model.name,
          pair: `${step.source}-${step.target}`,
          batchSize: texts.length,
          inferred: unique.length,
          cacheHits: hits,
          ms,
          waitingGroups: this.batcher.groupCount,
          waitingTexts: this.batcher.pending,
        },
        'batch translated',
      );

      const fresh: Array<[string, string]> = [];
      unique.forEach((text, u) => {
        const output = outputs[u] as string;
        for (const i of toTranslate.get(text) ?? []) results[i] = { text: output, fromCache: false };
        fresh.push([cacheKey(text, step.source, step.target, model.name), output]);
      });
      await this.options.cache.setMany(fresh);
    } else {
      this.options.logger.debug(
        { model: model.name, pair: `${step.source}-${step.target}`, batchSize: texts.length, cacheHits: hits },
        'batch served from cache',
      );
    }
    return results.map((result) => result ?? { text: '', fromCache: false });
  }
}
