import {
  createLogger,
  connectPublisherRedis,
  RateLimiter,
  RealtimePublisher,
  startOrmSubgraph,
  type Logger,
  type RunningSubgraph,
} from '@parley/common';
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
  // Rate limits fail open and realtime events are best-effort, so no offline queue: while Redis is
  // away a command fails at once and never delays or fails the request.
  const redis = await connectPublisherRedis(config.REDIS_URL, logger);
  const rateLimiter = new RateLimiter(redis, logger, 'parley:users:sign-in');
  const publisher = new RealtimePublisher({ redis, logger });

  try {
    return await startOrmSubgraph<UsersContext>({
      name: 'users',
      dbSchema: USERS_DB_SCHEMA,
      databaseUrl: config.DATABASE_URL,
      host: config.USERS_HOST,
      port: config.USERS_PORT,
      signingSecret: config.SUBGRAPH_SIGNING_SECRET,
      maxBodyBytes: config.SUBGRAPH_MAX_BODY_BYTES,
      logger,
      createOrm: () => createUsersOrm(config, logger, options.onQuery),
      buildSchema: buildUsersSchema,
      context: (identity, em, router) => ({
        identity,
        router,
        em,
        loaders: { userById: createUserLoader(em) },
        config,
        rateLimiter,
        publisher,
      }),
      onStop: () => redis.disconnect(),
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
