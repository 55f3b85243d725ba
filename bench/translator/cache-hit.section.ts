import { randomUUID } from 'node:crypto';
import { connectRedis, redactUrl } from '../support/redis';
import { formatNumber } from '../support/report';
import { check, type Section } from '../support/section';
import { LatencyRecorder, round } from '../support/stats';
import { throttledProgress } from '../support/progress';
import { translationCacheKey } from './cache-key';
import { CORPUS } from './corpus';
import type { TranslatorBenchOptions } from './options';

const TARGET_P99_MS = 2;
const LANGUAGES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl', 'ru', 'zh', 'ja', 'ko', 'ar'];

/**
 * The cache being measured. `lookup` is all the section times; swap in the translator's own cache
 * module by passing another implementation to cacheHitSection.
 */
export interface CacheUnderTest {
  label: string;
  /** Cache key of one translation (the translator's key function, when swapping in its module). */
  key(text: string, source: string, target: string, model: string): string;
  /** Stores the translations the lookups will hit; not timed. */
  prime(entries: { key: string; translation: string }[]): Promise<void>;
  lookup(key: string): Promise<string | null>;
  /** Removes what prime stored and disconnects. */
  close(): Promise<void>;
}

/** Plain ioredis GET of sha256(text|source|target|model) under a per-run prefix, the default cache under test. */
export async function redisCache(url: string): Promise<CacheUnderTest> {
  const redis = await connectRedis(url);
  const prefix = `bench:${randomUUID().slice(0, 8)}:translation:`;
  const stored: string[] = [];
  return {
    label: `ioredis GET at ${redactUrl(url)}`,
    key: (text, source, target, model) => prefix + translationCacheKey({ text, source, target, model }),
    async prime(entries) {
      // An expiry as well, so a run that dies halfway leaves nothing behind for long.
      for (const { key, translation } of entries) await redis.set(key, translation, 'EX', 600);
      stored.push(...entries.map((entry) => entry.key));
    },
    lookup: (key) => redis.get(key),
    async close() {
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
        const entries = CORPUS.flatMap((text, i) =>
          LANGUAGES.filter((target) => target !== LANGUAGES[i % 7]).map((target) => ({
            key: cache.key(text, LANGUAGES[i % 7]!, target, 'opus-mt'),
            translation: `[${target}] ${text}`,
          })),
        );
        await cache.prime(entries);
        progress(`${entries.length} translations cached in ${cache.label}; warming up`);

        let misses = 0;
        const lookupAt = async (n: number, record: boolean) => {
          // A stride through the entries, so consecutive lookups hit different keys.
          const entry = entries[(n * 7919) % entries.length]!;
          const started = performance.now();
          const value = await cache.lookup(entry.key);
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
          notes: [`Keys: sha256(text|source|target|model), ${entries.length} distinct entries.`],
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
