import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { jest } from '@jest/globals';
import { TEST_REDIS_URL, testLogger } from '../testing/harness';
import { TranslationCache } from './translation-cache';

const redis = new Redis(TEST_REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
const prefix = `test:${randomUUID().slice(0, 8)}:`;
const cache = new TranslationCache(redis, 60, testLogger());

beforeAll(async () => {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('TranslationCache', () => {
  it('answers the keys asked for in one tick with one MGET, each with its own value', async () => {
    await cache.setMany([
      [`${prefix}a`, 'A'],
      [`${prefix}c`, 'C'],
    ]);
    const mget = jest.spyOn(redis, 'mget');
    try {
      const values = await Promise.all([cache.get(`${prefix}a`), cache.get(`${prefix}b`), cache.get(`${prefix}c`)]);
      expect(values).toEqual(['A', null, 'C']);
      expect(mget).toHaveBeenCalledTimes(1);
      // Keys asked for later go in a round trip of their own.
      expect(await cache.get(`${prefix}c`)).toBe('C');
      expect(mget).toHaveBeenCalledTimes(2);
    } finally {
      mget.mockRestore();
    }
  });

  it('stores with the TTL it was given', async () => {
    await cache.setMany([[`${prefix}ttl`, 'T']]);
    const ttl = await redis.ttl(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('answers "not cached" at once while Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    down.on('error', () => undefined);
    const bypassing = new TranslationCache(down, 60, testLogger());
    const started = Date.now();
    expect(await Promise.all([bypassing.get('x'), bypassing.get('y')])).toEqual([null, null]);
    expect(Date.now() - started).toBeLessThan(1_000);
    // Once it has seen Redis fail, get does not ask it again: only getMany (a batch's lookup) does.
    const mget = jest.spyOn(down, 'mget');
    expect(await bypassing.get('z')).toBeNull();
    expect(mget).not.toHaveBeenCalled();
    expect(await bypassing.getMany(['z'])).toEqual([null]);
    expect(mget).toHaveBeenCalledTimes(1);
    down.disconnect();
  });
});
