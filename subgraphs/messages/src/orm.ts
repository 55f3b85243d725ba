import { createOrm, type Logger } from '@parley/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { MessagesConfig } from './config';
import { ConversationCounterSchema } from './messages/conversation-counter.entity';
import { MessageSchema } from './messages/message.entity';
import { migrations } from './migrations';
import { OutboxSchema } from './outbox/outbox.entity';

export const MESSAGES_DB_SCHEMA = 'messages';

export const createMessagesOrm = (
  config: Pick<MessagesConfig, 'DATABASE_URL'>,
  logger: Logger,
  onQuery?: (sql: string) => void,
): Promise<MikroORM> =>
  createOrm({
    databaseUrl: config.DATABASE_URL,
    schema: MESSAGES_DB_SCHEMA,
    entities: [MessageSchema, ConversationCounterSchema, OutboxSchema],
    migrations,
    logger,
    onQuery,
  });
