import { randomUUID } from 'node:crypto';
import { createLogger, messagingTopology } from '@parley/common';
import { Connection } from 'rabbitmq-client';
import { loadConversationsConfig, startConversationsSubgraph } from '@parley/conversations';
import { loadMessagesConfig, startMessagesSubgraph } from '@parley/messages';
import { loadRouterConfig, startRouter, type RunningRouter } from '@parley/router';
import { loadTranslationsConfig, startTranslationsSubgraph } from '@parley/translations';
import { loadTranslatorConfig, startTranslator, type TranslatorStats } from '@parley/translator';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

export interface Stack {
  routerUrl: string;
  /** http://host:port of the router, for /health, /ready, GraphiQL. */
  routerOrigin: string;
  usersUrl: string;
  conversationsUrl: string;
  messagesUrl: string;
  translationsUrl: string;
  /** The translator's base URL; '' when it runs out of process or not at all. */
  translatorUrl: string;
  /** The environment every service of this stack was started with (AMQP_PREFIX, URLs, ...). */
  env: Record<string, string>;
  /** The router (undefined with `withoutRouter`): its subscription hub counts resolutions. */
  router: RunningRouter | undefined;
  /** Starts another router instance on the same subgraphs and Redis (stopped with the stack). */
  startRouter(env?: Record<string, string>): Promise<RunningRouter>;
  /** The in-process translator's counters (undefined when it runs out of process or not at all). */
  translatorStats(): TranslatorStats | undefined;
  /** Stops the in-process translator (fault tests run it as a child process instead). */
  stopTranslator(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  onConversationsQuery?: (sql: string) => void;
  onUsersQuery?: (sql: string) => void;
  onMessagesQuery?: (sql: string) => void;
  onTranslationsQuery?: (sql: string) => void;
  /** Start only the subgraphs (integration tests of one subgraph). */
  withoutRouter?: boolean;
  /** 'in-process' (default) or 'none' (the test starts it itself, e.g. as a process it can kill). */
  translator?: 'in-process' | 'none';
}

/**
 * Every service in this process, on free ports, against the real PostgreSQL, Redis and RabbitMQ,
 * exactly as `pnpm start` wires them (signed calls, one database, one PostgreSQL schema per
 * subgraph). Each stack gets its own AMQP_PREFIX, so its translator consumes only its own events.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    USERS_PORT: '0',
    CONVERSATIONS_PORT: '0',
    MESSAGES_PORT: '0',
    TRANSLATIONS_PORT: '0',
    TRANSLATOR_PORT: '0',
    ROUTER_PORT: '0',
    ROUTER_HOST: '127.0.0.1',
    TRUST_PROXY_HOPS: '1',
    AMQP_PREFIX: `e2e.${randomUUID().slice(0, 8)}.`,
    TRANSLATION_MODELS: 'test-tiny',
    // A failing event is retried within a second or so, not the production quarter-minute.
    TRANSLATION_RETRY_BASE_MS: '50',
    ...options.env,
  };
  const logger = createLogger('e2e', env.LOG_LEVEL);
  const stops: Array<() => Promise<void>> = [async () => deleteTopology(env.AMQP_URL, env.AMQP_PREFIX ?? '')];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const users = await startUsersSubgraph(loadUsersConfig(env), { logger, onQuery: options.onUsersQuery });
    stops.push(() => users.stop());
    env.USERS_URL = users.url;
    const conversations = await startConversationsSubgraph(loadConversationsConfig(env), {
      logger,
      onQuery: options.onConversationsQuery,
    });
    stops.push(() => conversations.stop());
    env.CONVERSATIONS_URL = conversations.url;

    let translator: { url: string; stop(): Promise<void>; stats(): TranslatorStats } | undefined;
    if ((options.translator ?? 'in-process') === 'in-process') {
      translator = await startTranslator(loadTranslatorConfig(env), { logger });
      env.TRANSLATOR_URL = translator.url;
    }
    let translatorStopped = false;
    const stopTranslator = async () => {
      if (!translator || translatorStopped) return;
      translatorStopped = true;
      await translator.stop();
    };
    stops.push(stopTranslator);

    const messages = await startMessagesSubgraph(loadMessagesConfig(env), { logger, onQuery: options.onMessagesQuery });
    stops.push(() => messages.stop());
    env.MESSAGES_URL = messages.url;
    const translations = await startTranslationsSubgraph(loadTranslationsConfig(env), {
      logger,
      onQuery: options.onTranslationsQuery,
    });
    stops.push(() => translations.stop());
    env.TRANSLATIONS_URL = translations.url;

    const router = options.withoutRouter ? undefined : await startRouter(loadRouterConfig(env), logger);
    if (router) stops.push(() => router.stop());
    return {
      routerUrl: router?.url ?? '',
      routerOrigin: router ? new URL(router.url).origin : '',
      usersUrl: users.url,
      conversationsUrl: conversations.url,
      messagesUrl: messages.url,
      translationsUrl: translations.url,
      translatorUrl: translator?.url ?? '',
      env,
      router,
      async startRouter(extra = {}) {
        const another = await startRouter(loadRouterConfig({ ...env, ...extra }), logger);
        stops.push(() => another.stop());
        return another;
      },
      translatorStats: () => translator?.stats(),
      stopTranslator,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Quorum queues are durable: a test stack removes its own so runs do not pile them up on the broker. */
async function deleteTopology(amqpUrl: string | undefined, prefix: string): Promise<void> {
  if (!prefix) return;
  const topology = messagingTopology(prefix);
  const connection = new Connection({
    url: amqpUrl ?? 'amqp://guest:guest@127.0.0.1:5672',
    retryLow: 100,
    acquireTimeout: 3_000,
  });
  connection.on('error', () => {});
  try {
    await connection.queueDelete({ queue: topology.translatorQueue });
    await connection.queueDelete({ queue: topology.translationRequestsQueue });
    await connection.queueDelete({ queue: topology.translatorDeadLetterQueue });
    await connection.exchangeDelete({ exchange: topology.messageEventsExchange });
    await connection.exchangeDelete({ exchange: topology.deadLetterExchange });
  } catch {
    // The broker may be down at the end of a fault test; the names are unique, nothing else uses them.
  } finally {
    await connection.close();
  }
}
