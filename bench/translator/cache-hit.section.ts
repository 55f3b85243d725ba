import { randomUUID } from 'node:crypto';
import { createLogger } from '@parley/common';
import { cacheKey, MODELS_DIR, ModelRegistry, TranslationCache, TranslationEngine } from '@parley/translator';
import { connectRedis, redactUrl } from '../support/redis';
import { formatNumber } from '../support/report';
import { check, type Section } from '../support/section';
import { LatencyRecorder, round } from '../support/stats';
import { throttledProgress } from '../support/progress';
import { CORPUS } from './corpus';
import type { TranslatorBenchOptions } from './options';

const TARGET_P99_MS = 2;
const LANGUAGES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl', 'ru', 'zh', 'ja', 'ko', 'ar'];

export interface CachedTranslation {
  text: string;
  source: string;
  target: string;
  translation: string;
}

/** The path being measured: `lookup` is all the section times. */
export interface CacheUnderTest {
  label: string;
  /** Stores the translations the lookups will hit; not timed. */
  prime(entries: CachedTranslation[]): Promise<void>;
  /** The translation of `text`, if it came from the cache; null otherwise. */
  lookup(text: string, source: string, target: string): Promise<string | null>;
  /** Removes what prime stored and disconnects. */
  close(): Promise<void>;
}

/**
 * The translator's own path for a translation it has cached: TranslationEngine.translate (the
 * route, the cache key, the lookup shared by the keys of one tick) over TranslationCache on Redis,
 * with the engine's production batch settings. A hit never reaches the batcher or a model, so the
 * test-tiny model set only provides the routes; its files must be present (they are committed).
 * The Redis client is the bench's (support/redis.ts, without the translator's command timeout and
 * with one retry): options that only matter while Redis fails. The entries go under the production
 * key prefix, with texts unique to the run, and are deleted at the end.
 */
export async function translatorCachePath(url: string): Promise<CacheUnderTest> {
  const redis = await connectRedis(url);
  const logger = createLogger('bench-cache-hit', 'silent');
  const registry = new ModelRegistry({ modelSet: 'test-tiny', modelsDir: MODELS_DIR, maxLoaded: 1, logger });
  const engine = new TranslationEngine({
    registry,
    // connectRedis hands back the translator's own ioredis client, typed by the few calls the bench makes.
    cache: new TranslationCache(redis as unknown as ConstructorParameters<typeof TranslationCache>[0], 600, logger),
    batchSize: 16,
    windowMs: 10,
    maxNewTokens: 64,
    logger,
  });
  const routeOf = (source: string, target: string) => {
    const lookup = engine.resolve(source, target);
    if (!lookup.ok) throw new Error(lookup.reason);
    return lookup.route;
  };
  const stored: string[] = [];
  return {
    label: `the translator's TranslationEngine over Redis at ${redactUrl(url)}`,
    async prime(entries) {
      for (const { text, source, target, translation } of entries) {
        const route = routeOf(source, target);
        if (route.steps.length !== 1) throw new Error(`expected a one-step route for ${source}→${target}`);
        const key = cacheKey(text, source, target, route.steps[0]!.model.name);
        // An expiry as well, so a run that dies halfway leaves nothing behind for long.
        await redis.set(key, translation, 'EX', 600);
        stored.push(key);
      }
    },
    async lookup(text, source, target) {
      const translated = await engine.translate(routeOf(source, target), text);
      return translated.fromCache ? translated.text : null;
    },
    async close() {
      await engine.close();
      await registry.dispose();
      for (let i = 0; i < stored.length; i += 500) await redis.del(...stored.slice(i, i + 500));
      await redis.quit();
    },
  };
}

/** Latency of one cache hit, awaited one at a time: what a cached translation adds to a message. */
export function cacheHitSection(
  openCache: () => Promise<CacheUnderTest>,
  options: Pick<TranslatorBenchOptions, 'lookups'>,
): Section {
  const id = 'cache-hit';
  const title = 'Translation cache hit latency';
  return {
    group: 'translator',
    id,
    title,
    async run({ progress }) {
      const cache = await openCache();
      const recorder = new LatencyRecorder();
      try {
        // Every corpus sentence into every other language: 64 × 11 distinct cached translations.
        // A run-unique suffix, so no earlier run's entries (or real translations) are hit instead.
        const run = randomUUID().slice(0, 8);
        const entries: CachedTranslation[] = CORPUS.flatMap((sentence, i) =>
          LANGUAGES.filter((target) => target !== LANGUAGES[i % 7]).map((target) => ({
            text: `${sentence} (${run})`,
            source: LANGUAGES[i % 7]!,
            target,
            translation: `[${target}] ${sentence}`,
          })),
        );
        await cache.prime(entries);
        progress(`${entries.length} translations cached in ${cache.label}; warming up`);

        let misses = 0;
        const lookupAt = async (n: number, record: boolean) => {
          // A stride through the entries, so consecutive lookups hit different keys.
          const entry = entries[(n * 7919) % entries.length]!;
          const started = performance.now();
          const value = await cache.lookup(entry.text, entry.source, entry.target);
          const ms = performance.now() - started;
          if (value !== entry.translation) misses++;
          if (record) recorder.recordMs(ms);
        };
        for (let n = 0; n < Math.ceil(options.lookups / 10); n++) await lookupAt(n, false);
        const report = throttledProgress(progress, 'lookups', options.lookups);
        const started = performance.now();
        for (let n = 0; n < options.lookups; n++) {
          await lookupAt(n, true);
          if ((n + 1) % 1000 === 0) report(n + 1);
        }
        const totalMs = performance.now() - started;
        const s = recorder.summary();
        const ms = (value: number) => formatNumber(value);
        return {
          id,
          title,
          tables: [
            {
              title: `${s.count} sequential lookups after ${Math.ceil(options.lookups / 10)} warm-up ones, ${cache.label}`,
              columns: ['p50 ms', 'p95 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'mean ms', 'lookups/s'],
              rows: [
                [
                  ms(s.p50Ms),
                  ms(s.p95Ms),
                  ms(s.p99Ms),
                  ms(s.p999Ms),
                  ms(s.maxMs),
                  ms(s.meanMs),
                  formatNumber(s.count / (totalMs / 1000)),
                ],
              ],
            },
          ],
          checks: [check('cache hit p99', s.p99Ms, '<=', TARGET_P99_MS, 'ms')],
          notes: [
            `${entries.length} distinct cached translations; each lookup is TranslationEngine.translate of a cached ` +
              'text (route, key, Redis MGET), as message events and POST /translate run it, one at a time',
          ],
          errors: misses > 0 ? [`${misses} lookups did not return the cached translation`] : [],
          data: {
            cache: cache.label,
            entries: entries.length,
            ...s,
            lookupsPerSecond: round(s.count / (totalMs / 1000)),
          },
        };
      } finally {
        recorder.destroy();
        await cache.close();
      }
    },
  };
}
