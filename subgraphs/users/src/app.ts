import { once } from 'node:events';
import {
  createLogger,
  createPublisherRedis,
  RateLimiter,
  RealtimePublisher,
  startOrmSubgraph,
  withTimeout,
  type Logger,
  type RunningSubgraph,
} from '@parley/common';
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
  // Rate limits fail open and realtime events are best-effort, so no offline queue: while Redis is
  // away a command fails at once and never delays or fails the request.
  const redis = createPublisherRedis(config.REDIS_URL, Redis);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const rateLimiter = new RateLimiter(redis, logger, 'parley:users:sign-in');
  const publisher = new RealtimePublisher({ redis, logger });

  try {
    // So the first changes' events are not dropped while the connection is still being made. Redis
    // being down does not stop the start: the connection keeps retrying in the background.
    await withTimeout(once(redis, 'ready'), 2_000).catch((error: unknown) =>
      logger.warn({ err: error }, 'redis not reachable yet; realtime events are dropped until it is'),
    );
    return await startOrmSubgraph<UsersContext>({
      name: 'users',
      dbSchema: USERS_DB_SCHEMA,
      databaseUrl: config.DATABASE_URL,
      host: config.USERS_HOST,
      port: config.USERS_PORT,
      signingSecret: config.SUBGRAPH_SIGNING_SECRET,
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
