import { Redis } from 'ioredis';
import { findBinary, urlPort } from './local';
import { describeError, withTimeout, type BackingService, type ProbeResult } from './types';

export async function probeRedis(url: string, timeoutMs: number): Promise<ProbeResult> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // With retries off, connect() only says "Connection is closed."; the cause arrives as an event.
  let cause: unknown;
  client.on('error', (error) => {
    cause ??= error;
  });
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeoutMs + 500,
      'Redis probe',
    );
    return { status: 'ok' };
  } catch (error) {
    const closed = error instanceof Error && /Connection is closed/i.test(error.message);
    return classifyRedisError(closed && cause ? cause : error);
  } finally {
    client.disconnect();
  }
}

export function classifyRedisError(error: unknown): ProbeResult {
  const detail = describeError(error);
  if (/^(NOAUTH|WRONGPASS|NOPERM|ERR AUTH|ERR invalid password|ERR.*without any password)/i.test(messageOf(error))) {
    return { status: 'rejected', detail };
  }
  return { status: 'down', detail };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function redisService(url: string): BackingService {
  const port = urlPort(url, 6379);
  return {
    name: 'Redis',
    envVar: 'REDIS_URL',
    url,
    aptPackage: 'redis-server',
    probe: (timeoutMs) => probeRedis(url, timeoutMs),
    isInstalled: () => findBinary('redis-server') !== undefined,
    startCommand: () => ({
      command: findBinary('redis-server') ?? 'redis-server',
      args: ['--daemonize', 'yes', '--port', String(port), '--save', ''],
    }),
  };
}
