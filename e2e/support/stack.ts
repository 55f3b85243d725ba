import { createLogger } from '@parley/common';
import { loadConversationsConfig, startConversationsSubgraph } from '@parley/conversations';
import { loadRouterConfig, startRouter } from '@parley/router';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

export interface Stack {
  routerUrl: string;
  /** http://host:port of the router, for /health, /ready, GraphiQL. */
  routerOrigin: string;
  usersUrl: string;
  conversationsUrl: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  onConversationsQuery?: (sql: string) => void;
  onUsersQuery?: (sql: string) => void;
  /** Start only the subgraphs (integration tests of one subgraph). */
  withoutRouter?: boolean;
}

/**
 * The users and conversations subgraphs and the router, in this process, on free ports, against
 * the real services, exactly as `pnpm start` wires them (signed calls, one database, one
 * PostgreSQL schema per subgraph).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    USERS_PORT: '0',
    CONVERSATIONS_PORT: '0',
    ROUTER_PORT: '0',
    ROUTER_HOST: '127.0.0.1',
    TRUST_PROXY_HOPS: '1',
    ...options.env,
  };
  const logger = createLogger('e2e', env.LOG_LEVEL);
  const users = await startUsersSubgraph(loadUsersConfig(env), { logger, onQuery: options.onUsersQuery });
  const conversations = await startConversationsSubgraph(loadConversationsConfig({ ...env, USERS_URL: users.url }), {
    logger,
    onQuery: options.onConversationsQuery,
  });
  const router = options.withoutRouter
    ? undefined
    : await startRouter(
        loadRouterConfig({ ...env, USERS_URL: users.url, CONVERSATIONS_URL: conversations.url }),
        logger,
      );
  return {
    routerUrl: router?.url ?? '',
    routerOrigin: router ? new URL(router.url).origin : '',
    usersUrl: users.url,
    conversationsUrl: conversations.url,
    async stop() {
      await router?.stop();
      await conversations.stop();
      await users.stop();
    },
  };
}
