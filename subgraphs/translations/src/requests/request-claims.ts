import { translationClaimKey, type Logger } from '@parley/common';
import type { Redis } from 'ioredis';

/** Most keys the in-process fallback remembers; beyond it the oldest are forgotten. */
const MAX_LOCAL_CLAIMS = 10_000;

export interface ClaimKey {
  messageId: string;
  version: number;
  language: string;
}

/**
 * Who may queue the on-demand job of a (message, version, language): the first to SET NX its
 * Redis key (`translationClaimKey`), shared by every replica and by the translator, which takes
 * the keys of the member languages it translates anyway. The key expires after `ttlSeconds`, so a
 * variant still PENDING then (a lost job) is asked for again by a later read.
 *
 * With Redis down the read must not fail nor flood the queue: an in-process map with the same
 * lifetime stands in, so each replica queues at most one job per key and lifetime, and the
 * translator's idempotent writes absorb the few duplicates across replicas.
 */
export class RequestClaims {
  private readonly local = new Map<string, number>();
  private redisFailing = false;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** True when the caller won the key and must queue the job. */
  async claim(key: ClaimKey): Promise<boolean> {
    const redisKey = translationClaimKey(key.messageId, key.version, key.language);
    try {
      const won = (await this.redis.set(redisKey, 'translations', 'EX', this.ttlSeconds, 'NX')) === 'OK';
      if (this.redisFailing) this.logger.info('redis back; translation request claims shared again');
      this.redisFailing = false;
      return won;
    } catch (error) {
      if (!this.redisFailing) {
        this.logger.warn({ err: error }, 'redis unavailable; translation request claims kept in this process');
      }
      this.redisFailing = true;
      return this.claimLocally(redisKey);
    }
  }

  /** Gives the key back (the job could not be queued), so the next read may try again. */
  async release(key: ClaimKey): Promise<void> {
    const redisKey = translationClaimKey(key.messageId, key.version, key.language);
    this.local.delete(redisKey);
    try {
      await this.redis.del(redisKey);
    } catch {
      // Redis down: the key expires by itself.
    }
  }

  private claimLocally(redisKey: string): boolean {
    const now = Date.now();
    const expiresAt = this.local.get(redisKey);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.local.delete(redisKey);
    this.local.set(redisKey, now + this.ttlSeconds * 1000);
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const [oldest, expiry] of this.local) {
      if (this.local.size <= MAX_LOCAL_CLAIMS && expiry > now) break;
      this.local.delete(oldest);
    }
    return true;
  }
}
