import { createOrm, type Logger } from '@parley/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { UsersConfig } from './config';
import { migrations } from './migrations';
import { UserSchema } from './users/user.entity';

export const USERS_DB_SCHEMA = 'users';

export const createUsersOrm = (
  config: UsersConfig,
  logger: Logger,
  onQuery?: (sql: string) => void,
): Promise<MikroORM> =>
  createOrm({
    databaseUrl: config.DATABASE_URL,
    schema: USERS_DB_SCHEMA,
    entities: [UserSchema],
    migrations,
    logger,
    onQuery,
  });
