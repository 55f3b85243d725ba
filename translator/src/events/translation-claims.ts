import { translationClaimKey, type Logger } from '@parley/common';
import type { Redis } from 'ioredis';

/**
 * The translator's side of the request dedupe keys (`translationClaimKey`). Before it translates
 * the member languages of a message event it takes their keys, so a reader who sees PENDING
 * meanwhile does not queue a second job for work already under way; when it gives up on a request
 * it releases them, so the next reader may ask again at once. Best effort: with Redis down the
 * worst case is a redundant job, which the idempotent writes absorb.
 */
export class TranslationClaims {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  async hold(messageId: string, version: number, languages: readonly string[]): Promise<void> {
    if (languages.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const language of languages) {
        pipeline.set(translationClaimKey(messageId, version, language), 'translator', 'EX', this.ttlSeconds);
      }
      await pipeline.exec();
    } catch (error) {
      this.logger.debug({ err: error, messageId, version }, 'translation claims not taken (redis unavailable)');
    }
  }

  async release(messageId: string, version: number, languages: readonly string[]): Promise<void> {
    if (languages.length === 0) return;
    try {
      await this.redis.del(...languages.map((language) => translationClaimKey(messageId, version, language)));
    } catch (error) {
      this.logger.debug({ err: error, messageId, version }, 'translation claims not released (redis unavailable)');
    }
  }
}
