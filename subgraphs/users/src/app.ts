import { createLogger, ensureDatabase, migrate, RateLimiter, startSubgraphServer } from '@parley/common';
import type { Logger } from '@parley/common';
import { Redis } from 'ioredis';
import type { UsersConfig } from './config';
import type { UsersContext } from './context';
import { createUsersOrm, USERS_DB_SCHEMA } from './orm';
import { buildUsersSchema } from './schema';
import { createUserLoader } from './users/user.loader';

export interface UsersSubgraph {
  url: string;
  stop(): Promise<void>;
}

export interface UsersSubgraphOptions {
  logger?: Logger;
  onQuery?: (sql: string) => void;
}

export async function startUsersSubgraph(
  config: UsersConfig,
  options: UsersSubgraphOptions = {},
): Promise<UsersSubgraph> {
  const logger = options.logger ?? createLogger('users', config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL);
  const orm = await createUsersOrm(config, logger, options.onQuery);
  await migrate(orm, config.DATABASE_URL, USERS_DB_SCHEMA, logger);

  const redis = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const rateLimiter = new RateLimiter(redis, logger, 'parley:users:sign-in');

  const server = await startSubgraphServer<UsersContext>({
    name: 'users',
    schema: await buildUsersSchema(),
    signingSecret: config.SUBGRAPH_SIGNING_SECRET,
    host: config.USERS_HOST,
    port: config.USERS_PORT,
    logger,
    context: (identity) => {
      const em = orm.em.fork();
      return { identity, em, loaders: { userById: createUserLoader(em) }, config, rateLimiter };
    },
    ready: async () => {
      await orm.em.getConnection().execute('select 1');
    },
  });

  return {
    url: server.url,
    async stop() {
      await server.stop();
      redis.disconnect();
      await orm.close();
    },
  };
}
