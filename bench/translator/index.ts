import type { Section } from '../support/section';
import { cacheHitSection, translatorCachePath } from './cache-hit.section';
import { directVsTransformersSection } from './direct-vs-transformers.section';
import { microBatchingSection } from './micro-batching.section';
import { availableModels } from './models';
import type { TranslatorBenchOptions } from './options';

export type { TranslatorBenchOptions } from './options';
export {
  BENCH_MODEL,
  GENERATE_COMMAND,
  TINY_MODEL,
  availableModels,
  benchModelPresent,
  generateBenchModel,
} from './models';

/** Sections 1 and 2 once per available model (test-tiny first: quick feedback), then the cache. */
export function translatorSections(options: TranslatorBenchOptions): Section[] {
  const models = [...availableModels()].reverse();
  return [
    ...models.flatMap((model) => [microBatchingSection(model, options), directVsTransformersSection(model, options)]),
    cacheHitSection(() => translatorCachePath(options.redisUrl), options),
  ];
}
