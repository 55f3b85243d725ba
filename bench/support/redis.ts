import { createRequire } from 'node:module';

/** The few ioredis calls the bench makes. */
export interface RedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  quit(): Promise<unknown>;
}

type RedisConstructor = new (
  url: string,
  options: { lazyConnect: boolean; maxRetriesPerRequest: number; enableOfflineQueue: boolean },
) => RedisClient & { connect(): Promise<void>; disconnect(): void };

/**
 * ioredis is a dependency of the translator, not of the root package the bench runs from: resolved
 * from the translator, so the bench measures the client the translator uses.
 */
export async function connectRedis(url: string): Promise<RedisClient> {
  const require = createRequire(new URL('../../translator/package.json', import.meta.url));
  const { Redis } = require('ioredis') as { Redis: RedisConstructor };
  // Fail fast when Redis is down rather than queue commands and retry forever.
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  try {
    await client.connect();
  } catch (error) {
    // Otherwise ioredis keeps reconnecting in the background and the process never exits.
    client.disconnect();
    throw new Error(`cannot connect to Redis at ${redactUrl(url)} (set REDIS_URL): ${(error as Error).message}`, {
      cause: error,
    });
  }
  return client;
}

/** The URL without its user and password, for logs and results files. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
