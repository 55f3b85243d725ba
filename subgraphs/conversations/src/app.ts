import {
  createLogger,
  connectPublisherRedis,
  RateLimiter,
  RealtimePublisher,
  startOrmSubgraph,
  type Logger,
  type RunningSubgraph,
} from '@parley/common';
import type { ConversationsConfig } from './config';
import type { ConversationsContext } from './context';
import { createConversationLoader } from './conversations/conversation.loader';
import { createMemberIdsLoader } from './conversations/member-ids.loader';
import { createMembersLoader } from './conversations/membership.loader';
import { createViewerMembershipLoader } from './conversations/viewer-membership.loader';
import { CONVERSATIONS_DB_SCHEMA, createConversationsOrm } from './orm';
import { buildConversationsSchema } from './schema';
import { UsersDirectory } from './users/users-directory';

export interface ConversationsSubgraphOptions {
  logger?: Logger;
  onQuery?: (sql: string) => void;
}

export async function startConversationsSubgraph(
  config: ConversationsConfig,
  options: ConversationsSubgraphOptions = {},
): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger('conversations', config.LOG_LEVEL);
  const users = new UsersDirectory(config.USERS_URL, config.SUBGRAPH_SIGNING_SECRET);
  // No offline queue: while Redis is away a publish or a rate-limit check fails at once (both are
  // best-effort), and an outage never replays a burst of stale events when it ends.
  const redis = await connectPublisherRedis(config.REDIS_URL, logger);
  const publisher = new RealtimePublisher({ redis, logger });
  const typingLimiter = new RateLimiter(redis, logger, 'parley:conversations:typing');

  try {
    return await startOrmSubgraph<ConversationsContext>({
      name: 'conversations',
      dbSchema: CONVERSATIONS_DB_SCHEMA,
      databaseUrl: config.DATABASE_URL,
      host: config.CONVERSATIONS_HOST,
      port: config.CONVERSATIONS_PORT,
      signingSecret: config.SUBGRAPH_SIGNING_SECRET,
      maxBodyBytes: config.SUBGRAPH_MAX_BODY_BYTES,
      logger,
      createOrm: () => createConversationsOrm(config, logger, options.onQuery),
      buildSchema: buildConversationsSchema,
      context: (identity, em, router) => ({
        identity,
        router,
        em,
        loaders: {
          conversationById: createConversationLoader(em),
          membersByConversationId: createMembersLoader(em),
          memberIdsByConversationId: createMemberIdsLoader(em),
          viewerMembership: createViewerMembershipLoader(em, identity.userId),
        },
        users,
        publisher,
        typingLimiter,
        config,
      }),
      onStop: () => redis.disconnect(),
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
