/** Test support: what the services announce on Redis pub/sub, as a router's subscriber sees it. */
import { Redis } from 'ioredis';

export interface ChannelListener<T> {
  /** Every event received so far, in arrival order. */
  readonly events: T[];
  /** The first event (already received or still to come) that `matches`; rejects after `timeoutMs`. */
  next(matches: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Subscribes to `channels` and collects their JSON events; resolves once the subscription is active. */
export async function listenToChannels<T = Record<string, unknown>>(
  redisUrl: string,
  channels: string[],
): Promise<ChannelListener<T>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const events: T[] = [];
  const waiters = new Set<() => void>();
  redis.on('message', (_channel: string, raw: string) => {
    events.push(JSON.parse(raw) as T);
    for (const wake of waiters) wake();
  });
  await redis.subscribe(...channels);
  return {
    events,
    next(matches, timeoutMs = 5_000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = events.find(matches);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; received ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
