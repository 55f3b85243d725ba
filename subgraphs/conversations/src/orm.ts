import { createOrm, type Logger } from '@parley/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ConversationsConfig } from './config';
import { ConversationSchema } from './conversations/conversation.entity';
import { MembershipSchema } from './conversations/membership.entity';
import { migrations } from './migrations';

export const CONVERSATIONS_DB_SCHEMA = 'conversations';

export const createConversationsOrm = (
  config: ConversationsConfig,
  logger: Logger,
  onQuery?: (sql: string) => void,
): Promise<MikroORM> =>
  createOrm({
    databaseUrl: config.DATABASE_URL,
    schema: CONVERSATIONS_DB_SCHEMA,
    entities: [ConversationSchema, MembershipSchema],
    migrations,
    logger,
    onQuery,
  });
