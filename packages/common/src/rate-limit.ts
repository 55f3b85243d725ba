import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimitedError } from './errors/errors';

export interface RateLimitRule {
  /** Attempts allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every replica of a service. When Redis cannot be
 * reached the limiter lets the request through and logs it: an outage of the cache must not lock
 * every user out.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly prefix: string,
  ) {}

  async consume(key: string, rule: RateLimitRule): Promise<void> {
    const redisKey = `${this.prefix}:${key}`;
    let count: number;
    let ttl: number;
    try {
      const results = await this.redis
        .multi()
        .incr(redisKey)
        .expire(redisKey, rule.windowSeconds, 'NX')
        .ttl(redisKey)
        .exec();
      count = Number(results?.[0]?.[1] ?? 0);
      ttl = Number(results?.[2]?.[1] ?? rule.windowSeconds);
    } catch (error) {
      this.logger.warn({ err: error, key: redisKey }, 'rate limiter unavailable; allowing request');
      return;
    }
    if (count > rule.limit) throw new RateLimitedError(Math.max(ttl, 1));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${key}`).catch(() => undefined);
  }
}
