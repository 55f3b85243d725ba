import { createHash } from 'node:crypto';

/** Namespace and layout version of the translation cache's keys. */
export const CACHE_KEY_PREFIX = 'parley:translation:v1:';

/**
 * The Redis key of one translation: a sha256 of text, source, target and model, so that keys have
 * a fixed length whatever the text, and a better model never serves an older model's output.
 * JSON encoding keeps the fields apart ("a|b" + "c" never collides with "a" + "b|c").
 */
export function cacheKey(text: string, source: string, target: string, model: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([text, source, target, model]))
    .digest('hex');
  return `${CACHE_KEY_PREFIX}${digest}`;
}
