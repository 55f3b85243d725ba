import { createLogger, RateLimiter, startOrmSubgraph, type Logger, type RunningSubgraph } from '@parley/common';
import { Redis } from 'ioredis';
import type { UsersConfig } from './config';
import type { UsersContext } from './context';
import { createUsersOrm, USERS_DB_SCHEMA } from './orm';
import { buildUsersSchema } from './schema';
import { createUserLoader } from './users/user.loader';

export interface UsersSubgraphOptions {
  logger?: Logger;
  onQuery?: (sql: string) => void;
}

export async function startUsersSubgraph(
  config: UsersConfig,
  options: UsersSubgraphOptions = {},
): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger('users', config.LOG_LEVEL);
  // Rate limits fail open while Redis is away, so no offline queue: a command fails at once.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const rateLimiter = new RateLimiter(redis, logger, 'parley:users:sign-in');

  return startOrmSubgraph<UsersContext>({
    name: 'users',
    dbSchema: USERS_DB_SCHEMA,
    databaseUrl: config.DATABASE_URL,
    host: config.USERS_HOST,
    port: config.USERS_PORT,
    signingSecret: config.SUBGRAPH_SIGNING_SECRET,
    logger,
    createOrm: () => createUsersOrm(config, logger, options.onQuery),
    buildSchema: buildUsersSchema,
    context: (identity, em) => ({ identity, em, loaders: { userById: createUserLoader(em) }, config, rateLimiter }),
    onStop: () => redis.disconnect(),
  });
}
