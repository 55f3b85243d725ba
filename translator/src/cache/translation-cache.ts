import type { Logger } from '@parley/common';
import type { Redis } from 'ioredis';

/**
 * Translations in Redis with a TTL, in front of inference. The cache is an optimisation only:
 * when Redis is down or slow every call answers "not cached" or does nothing, at once (the client
 * has no offline queue and short command timeouts), and the outage is logged once, not per call.
 */
export class TranslationCache {
  private bypassing = false;
  /** Keys asked for with `get` in this tick, answered together by one MGET. */
  private asked: Array<{ key: string; answer: (value: string | null) => void }> = [];

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

  /**
   * One key. The keys asked for in the same tick (a message's targets, translated side by side)
   * share one MGET, so a hit costs one round trip and never waits for a batch.
   */
  get(key: string): Promise<string | null> {
    // While Redis is failing a miss is assumed at once: the batch's own lookup (getMany) still tries
    // Redis and ends the bypass when it answers, so a slow Redis costs a step at most one timeout.
    if (this.bypassing) return Promise.resolve(null);
    return new Promise((answer) => {
      if (this.asked.length === 0) process.nextTick(() => void this.answerAsked());
      this.asked.push({ key, answer });
    });
  }

  private async answerAsked(): Promise<void> {
    const asked = this.asked;
    this.asked = [];
    const values = await this.getMany(asked.map(({ key }) => key));
    asked.forEach(({ answer }, i) => answer(values[i] ?? null));
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
