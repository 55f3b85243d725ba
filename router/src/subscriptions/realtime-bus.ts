import type { Logger } from '@parley/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';

/**
 * Redis pub/sub for the subscription layer (graphql-redis-subscriptions over ioredis). Listening
 * never blocks a client: while Redis is down the SUBSCRIBE waits in ioredis' queue and every
 * channel is re-subscribed on reconnect. `onResume` fires after an outage, when events may have
 * been missed, so the hub can re-check what it holds.
 */
export class RealtimeBus {
  private readonly pubsub: RedisPubSub;
  private readonly subscriber: Redis;
  private readonly publisher: Redis;
  private readonly resumeListeners = new Set<() => void>();
  private down = false;
  private closing = false;

  constructor(
    redisUrl: string,
    private readonly logger: Logger,
  ) {
    const options = { retryStrategy: (times: number) => Math.min(times * 100, 1000), maxRetriesPerRequest: null };
    this.subscriber = new Redis(redisUrl, options);
    // RedisPubSub wants a publisher, but the router only listens (services publish after commit):
    // lazyConnect keeps this one from ever opening a connection.
    this.publisher = new Redis(redisUrl, {
      ...options,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    for (const client of [this.subscriber, this.publisher]) client.on('error', () => undefined);
    this.subscriber.on('close', () => {
      if (!this.down && !this.closing) logger.warn('realtime events interrupted: Redis connection lost');
      this.down = true;
    });
    this.subscriber.on('ready', () => {
      if (!this.down) return;
      this.down = false;
      logger.info('realtime events resumed');
      for (const listener of this.resumeListeners) listener();
    });
    this.pubsub = new RedisPubSub({ publisher: this.publisher, subscriber: this.subscriber });
  }

  /**
   * Starts listening to `channel`. `active` resolves once Redis confirmed the SUBSCRIBE (events
   * published from then on arrive); `stop` ends it. Payloads arrive JSON-parsed.
   */
  listen(channel: string, onMessage: (payload: unknown) => void): { active: Promise<void>; stop: () => void } {
    let stopped = false;
    let subscriptionId: number | undefined;
    const active = this.pubsub.subscribe(channel, onMessage).then(
      (id) => {
        subscriptionId = id;
        if (stopped) this.pubsub.unsubscribe(id);
      },
      (error: unknown) => this.logger.error({ err: error, channel }, 'cannot listen to realtime channel'),
    );
    return {
      active,
      stop: () => {
        stopped = true;
        if (subscriptionId !== undefined) this.pubsub.unsubscribe(subscriptionId);
      },
    };
  }

  onResume(listener: () => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.resumeListeners.clear();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
