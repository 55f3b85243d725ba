import { createLogger, createOrm, ensureDatabase, migrate, startSubgraphServer, type Logger } from '@parley/common';
import type { ConversationsConfig } from './config';
import type { ConversationsContext } from './context';
import { ConversationSchema } from './conversations/conversation.entity';
import { MembershipSchema } from './conversations/membership.entity';
import { createConversationLoader, createMembersLoader } from './conversations/membership.loader';
import { migrations } from './migrations';
import { buildConversationsSchema } from './schema';
import { UsersDirectory } from './users/users-directory';

export const CONVERSATIONS_DB_SCHEMA = 'conversations';

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
  const orm = await createOrm({
    databaseUrl: config.DATABASE_URL,
    schema: CONVERSATIONS_DB_SCHEMA,
    entities: [ConversationSchema, MembershipSchema],
    migrations,
    logger,
    onQuery: options.onQuery,
  });
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
