import type { Logger } from '@parley/common';
import type { Redis } from 'ioredis';

/**
 * Translations in Redis with a TTL, in front of inference. The cache is an optimisation only:
 * when Redis is down or slow every call answers "not cached" or does nothing, at once (the client
 * has no offline queue and short command timeouts), and the outage is logged once, not per call.
 */
export class TranslationCache {
  private bypassing = false;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** One MGET for a whole batch; null where nothing is cached (or Redis could not answer). */
  async getMany(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.mget(keys);
      this.recovered();
      return values;
    } catch (error) {
      this.failed(error);
      return keys.map(() => null);
    }
  }

  async setMany(entries: Array<[key: string, value: string]>): Promise<void> {
    if (entries.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const [key, value] of entries) pipeline.set(key, value, 'EX', this.ttlSeconds);
      const results = await pipeline.exec();
      const failure = results?.find(([error]) => error)?.[0];
      if (failure) throw failure;
      this.recovered();
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    if (this.bypassing) return;
    this.bypassing = true;
    this.logger.warn({ err: error }, 'translation cache unavailable; translating without it');
  }

  private recovered(): void {
    if (!this.bypassing) return;
    this.bypassing = false;
    this.logger.info('translation cache available again');
  }
}
