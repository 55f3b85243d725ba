import {
  createLogger,
  connectPublisherRedis,
  RealtimePublisher,
  startOrmSubgraph,
  type Logger,
  type RunningSubgraph,
} from '@parley/common';
import type { MessagesConfig } from './config';
import type { MessagesContext } from './context';
import { ConversationsDirectory } from './conversations/conversations-directory';
import { createMembersLoader } from './conversations/members.loader';
import { MembershipCache } from './conversations/membership-cache';
import { followMembershipChanges, type MembershipChanges } from './conversations/membership-changes';
import { createLastSeqLoader } from './messages/last-seq.loader';
import { createLatestMessagesLoader } from './messages/latest-messages.loader';
import { createMessageLoader } from './messages/message.loader';
import { createMessagesSinceLoader } from './messages/messages-since.loader';
import { createMessagesOrm, MESSAGES_DB_SCHEMA } from './orm';
import { OutboxRelay } from './outbox/outbox-relay';
import { buildMessagesSchema } from './schema';
import { UsersDirectory } from './users/users-directory';

export interface MessagesSubgraphOptions {
  logger?: Logger;
  onQuery?: (sql: string) => void;
}

export type RunningMessagesSubgraph = RunningSubgraph & {
  /** The outbox relay; started only when OUTBOX_RELAY_ENABLED (pending() works either way). */
  relay: OutboxRelay;
  /** Member lists served without asking the conversations subgraph (tests look inside). */
  membershipCache: MembershipCache;
};

export async function startMessagesSubgraph(
  config: MessagesConfig,
  options: MessagesSubgraphOptions = {},
): Promise<RunningMessagesSubgraph> {
  const logger = options.logger ?? createLogger('messages', config.LOG_LEVEL);
  const users = new UsersDirectory(config.USERS_URL, config.SUBGRAPH_SIGNING_SECRET, config.SUBGRAPH_TIMEOUT_MS);
  const conversations = new ConversationsDirectory(
    config.CONVERSATIONS_URL,
    config.SUBGRAPH_SIGNING_SECRET,
    config.SUBGRAPH_TIMEOUT_MS,
  );
  const membershipCache = new MembershipCache({
    ttlMs: config.MEMBERSHIP_CACHE_TTL_MS,
    maxIds: config.MEMBERSHIP_CACHE_MAX_IDS,
  });
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    amqpUrl: config.AMQP_URL,
    amqpPrefix: config.AMQP_PREFIX,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollMs: config.OUTBOX_POLL_MS,
    publishTimeoutMs: config.OUTBOX_PUBLISH_TIMEOUT_MS,
    maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
    logger,
  });
  // Realtime events are best-effort: no offline queue, a publish fails at once while Redis is away
  // and never delays or fails the write it announces (the outbox, not Redis, carries durability).
  const redis = await connectPublisherRedis(config.REDIS_URL, logger, { autoPipelining: true });
  const publisher = new RealtimePublisher({ redis, logger });
  // Without its events the cache stays offline and every request asks the conversations subgraph.
  const membershipChanges: MembershipChanges | undefined = membershipCache.enabled
    ? followMembershipChanges(config.REDIS_URL, membershipCache, logger)
    : undefined;

  let subgraph: RunningSubgraph;
  try {
    subgraph = await startOrmSubgraph<MessagesContext>({
      name: 'messages',
      dbSchema: MESSAGES_DB_SCHEMA,
      databaseUrl: config.DATABASE_URL,
      host: config.MESSAGES_HOST,
      port: config.MESSAGES_PORT,
      signingSecret: config.SUBGRAPH_SIGNING_SECRET,
      maxBodyBytes: config.SUBGRAPH_MAX_BODY_BYTES,
      logger,
      createOrm: () => createMessagesOrm(config, logger, options.onQuery),
      buildSchema: buildMessagesSchema,
      context: (identity, em, router) => ({
        identity,
        router,
        em,
        loaders: {
          membersByConversationId: createMembersLoader(conversations, membershipCache, identity.userId),
          freshMembersByConversationId: createMembersLoader(conversations, membershipCache, identity.userId, 'fresh'),
          messageById: createMessageLoader(em),
          lastSeqByConversationId: createLastSeqLoader(em),
          latestMessages: createLatestMessagesLoader(em),
          messagesSince: createMessagesSinceLoader(em),
        },
        users,
        outboxRelay: relay,
        publisher,
        config,
        logger,
      }),
      // The server has stopped taking requests; the relay still empties what is committed.
      onStop: async () => {
        await relay.stop();
        membershipChanges?.stop();
        redis.disconnect();
      },
    });
  } catch (error) {
    await relay.stop();
    membershipChanges?.stop();
    redis.disconnect();
    throw error;
  }
  // After startOrmSubgraph: the migrations that create the outbox have run.
  if (config.OUTBOX_RELAY_ENABLED) {
    try {
      await relay.start();
    } catch (error) {
      await subgraph.stop();
      throw error;
    }
  } else {
    logger.info('outbox relay disabled (OUTBOX_RELAY_ENABLED=false)');
  }
  return { ...subgraph, relay, membershipCache };
}
