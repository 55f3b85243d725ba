import { Redis } from 'ioredis';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { withTimeout } from '../probes';
import { conversationEventChannel, MEMBERSHIP_CHANNEL, USER_PREFERENCES_CHANNEL } from './conversation-event';
import type { ConversationEvent, MembershipEvent, UserPreferencesEvent } from './conversation-event';

export interface RealtimePublisherOptions {
  redis: Redis;
  logger: Logger;
  /** A publish slower than this is given up (the write it announces has committed already). */
  timeoutMs?: number;
}

/**
 * Announces committed changes on Redis pub/sub. Never throws and never delays the write it
 * announces by more than `timeoutMs`: the database row is the truth, and subscribers that missed
 * an event catch up through queries. An outage is logged once at warn, then per event at debug.
 */
export class RealtimePublisher {
  private failing = false;

  constructor(private readonly options: RealtimePublisherOptions) {}

  conversation(event: ConversationEvent): Promise<void> {
    return this.publish(conversationEventChannel(event.conversationId), event);
  }

  /** A membership change on the all-conversations channel (`MEMBERSHIP_CHANNEL`), for membership caches. */
  membership(event: MembershipEvent): Promise<void> {
    return this.publish(MEMBERSHIP_CHANNEL, event);
  }

  userPreferences(event: UserPreferencesEvent): Promise<void> {
    return this.publish(USER_PREFERENCES_CHANNEL, event);
  }

  private async publish(channel: string, event: { type: string }): Promise<void> {
    try {
      await withTimeout(this.options.redis.publish(channel, JSON.stringify(event)), this.options.timeoutMs ?? 500);
      if (this.failing) this.options.logger.info('publishing realtime events again');
      this.failing = false;
    } catch (error) {
      const context = { err: error, channel, type: event.type };
      if (this.failing) this.options.logger.debug(context, 'realtime event not published');
      else this.options.logger.warn(context, 'cannot publish realtime events; subscribers catch up by query');
      this.failing = true;
    }
  }
}

export interface PublisherRedisOptions {
  /** How long a start waits for the first connection. Default 2000 ms. */
  waitMs?: number;
  /**
   * ioredis auto-pipelining: the commands of one event-loop turn leave in one write, for a
   * service that publishes on every request (the messages subgraph, per send): fewer system
   * calls here and fewer reads in Redis, for at most a turn's delay.
   */
  autoPipelining?: boolean;
}

/**
 * A Redis connection for publishing (realtime events, rate limits): commands fail at once while
 * Redis is down instead of queueing, so an outage never replays a burst of stale events when it
 * ends. Waits up to `waitMs` for the first connection so the first requests' events are not
 * dropped; Redis being down does not stop a start, the connection keeps retrying.
 */
export async function connectPublisherRedis(
  url: string,
  logger: Logger,
  { waitMs = 2_000, autoPipelining = false }: PublisherRedisOptions = {},
): Promise<Redis> {
  const redis = new Redis(url, {
    enableAutoPipelining: autoPipelining,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => undefined);
  await withTimeout(once(redis, 'ready'), waitMs).catch((error: unknown) =>
    logger.warn({ err: error }, 'redis not reachable yet; realtime events are dropped until it is'),
  );
  return redis;
}
