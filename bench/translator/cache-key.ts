import { createHash } from 'node:crypto';

export interface TranslationKey {
  text: string;
  source: string;
  target: string;
  model: string;
}

/** sha256 of text|source|target|model, hex: fixed-length keys whatever the message length. */
export function translationCacheKey({ text, source, target, model }: TranslationKey): string {
  return createHash('sha256').update(`${text}|${source}|${target}|${model}`).digest('hex');
}
