import { createLogger, startOrmSubgraph, type Logger, type RunningSubgraph } from '@parley/common';
import type { ConversationsConfig } from './config';
import type { ConversationsContext } from './context';
import { createConversationLoader } from './conversations/conversation.loader';
import { createMembersLoader } from './conversations/membership.loader';
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
  return startOrmSubgraph<ConversationsContext>({
    name: 'conversations',
    dbSchema: CONVERSATIONS_DB_SCHEMA,
    databaseUrl: config.DATABASE_URL,
    host: config.CONVERSATIONS_HOST,
    port: config.CONVERSATIONS_PORT,
    signingSecret: config.SUBGRAPH_SIGNING_SECRET,
    logger,
    createOrm: () => createConversationsOrm(config, logger, options.onQuery),
    buildSchema: buildConversationsSchema,
    context: (identity, em) => ({
      identity,
      em,
      loaders: { conversationById: createConversationLoader(em), membersByConversationId: createMembersLoader(em) },
      users,
      config,
    }),
  });
}
