import { MEMBERSHIP_CHANNEL, membershipEventSchema, type Logger } from '@parley/common';
import { Redis } from 'ioredis';
import type { MembershipCache } from './membership-cache';

export interface MembershipChanges {
  stop(): void;
}

/**
 * Keeps the membership cache honest: each membership event on `MEMBERSHIP_CHANNEL` drops its
 * conversation's entry, and the cache is live only while the SUBSCRIBE is confirmed on the current
 * connection. A connection that closes takes the cache offline (and flushes it) at once; after a
 * reconnection it comes back only once Redis confirmed the new SUBSCRIBE, since events published in
 * between were never received. Redis being down therefore costs a call to the conversations
 * subgraph per request, never a stale answer.
 */
export function followMembershipChanges(redisUrl: string, cache: MembershipCache, logger: Logger): MembershipChanges {
  // Re-subscribed by hand on each 'ready' (not ioredis' autoResubscribe), so that going live waits
  // for this connection's own confirmation.
  const redis = new Redis(redisUrl, {
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let connection = 0;
  let stopped = false;
  let warned = false;
  redis.on('error', () => undefined);
  redis.on('close', () => {
    connection += 1;
    cache.setLive(false);
    if (!warned && !stopped) logger.warn('membership events interrupted: every send asks the conversations subgraph');
    warned = true;
  });
  redis.on('ready', () => {
    const current = connection;
    redis.subscribe(MEMBERSHIP_CHANNEL).then(
      () => {
        if (current !== connection || stopped) return;
        cache.setLive(true);
        if (warned) logger.info('membership events resumed: member lists are cached again');
        warned = false;
      },
      (error: unknown) => logger.warn({ err: error }, 'cannot subscribe to membership events'),
    );
  });
  redis.on('message', (_channel: string, raw: string) => {
    const event = parseMembershipEvent(raw);
    // An event we cannot read may be about any conversation.
    if (event) cache.invalidate(event.conversationId.toLowerCase());
    else cache.flush();
  });
  return {
    stop() {
      stopped = true;
      cache.setLive(false);
      redis.disconnect();
    },
  };
}

function parseMembershipEvent(raw: string): { conversationId: string } | null {
  try {
    const parsed = membershipEventSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
