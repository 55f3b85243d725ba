import { createLogger, ensureDatabase, migrate, startSubgraphServer, type Logger } from '@parley/common';
import type { ConversationsConfig } from './config';
import type { ConversationsContext } from './context';
import { createConversationLoader, createMembersLoader } from './conversations/membership.loader';
import { CONVERSATIONS_DB_SCHEMA, createConversationsOrm } from './orm';
import { buildConversationsSchema } from './schema';
import { UsersDirectory } from './users/users-directory';

export interface ConversationsSubgraph {
  url: string;
  stop(): Promise<void>;
}

export interface ConversationsSubgraphOptions {
  logger?: Logger;
  onQuery?: (sql: string) => void;
}

export async function startConversationsSubgraph(
  config: ConversationsConfig,
  options: ConversationsSubgraphOptions = {},
): Promise<ConversationsSubgraph> {
  const logger = options.logger ?? createLogger('conversations', config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL);
  const orm = await createConversationsOrm(config, logger, options.onQuery);
  await migrate(orm, config.DATABASE_URL, CONVERSATIONS_DB_SCHEMA, logger);
  const users = new UsersDirectory(config.USERS_URL, config.SUBGRAPH_SIGNING_SECRET);

  const server = await startSubgraphServer<ConversationsContext>({
    name: 'conversations',
    schema: await buildConversationsSchema(),
    signingSecret: config.SUBGRAPH_SIGNING_SECRET,
    host: config.CONVERSATIONS_HOST,
    port: config.CONVERSATIONS_PORT,
    logger,
    context: (identity) => {
      const em = orm.em.fork();
      return {
        identity,
        em,
        loaders: { conversationById: createConversationLoader(em), membersByConversationId: createMembersLoader(em) },
        users,
        config,
      };
    },
    ready: async () => {
      await orm.em.getConnection().execute('select 1');
    },
  });

  return {
    url: server.url,
    async stop() {
      await server.stop();
      await orm.close();
    },
  };
}
