import { once } from 'node:events';
import { env as transformersEnv, LogLevel } from '@huggingface/transformers';
import {
  createLogger,
  declareMessagingTopology,
  ensureDatabase,
  messagingTopology,
  migrate,
  type Logger,
  type MessagingTopology,
} from '@parley/common';
import { createTranslationsOrm, TRANSLATIONS_DB_SCHEMA } from '@parley/translations/store';
import { Redis } from 'ioredis';
import { Connection } from 'rabbitmq-client';
import { TranslationCache } from './cache/translation-cache';
import type { TranslatorConfig } from './config';
import { startMessageConsumer, type ConsumerStats } from './consumer/message-consumer';
import { MessageEventHandler } from './consumer/message-event-handler';
import { TranslationPublisher } from './events/translation-publisher';
import { startHttpServer } from './http/http-server';
import type { MemberLanguages } from './members/member-languages';
import { SubgraphMemberLanguages } from './members/subgraph-member-languages';
import { ModelRegistry, type ModelLoader } from './models/model-registry';
import { TranslationStore } from './store/translation-store';
import { TranslationEngine, type TranslationEngineStats } from './translation/translation-engine';

export interface StartTranslatorOptions {
  logger?: Logger;
  /** Where member languages come from; the users and conversations subgraphs by default. */
  memberLanguages?: MemberLanguages;
  /** Loads a model by name; loadSeq2Seq by default (benchmarks and tests may wrap it). */
  loadModel?: ModelLoader;
}

export interface TranslatorStats extends TranslationEngineStats {
  /** Batches the micro-batcher ran (cache-only batches included). */
  batches: number;
  /** Texts dropped from the batcher because their message was deleted or edited. */
  cancelled: number;
  loadedModels: string[];
  /** What became of the message events consumed so far. */
  events: ConsumerStats;
}

export interface RunningTranslator {
  /** Base URL of the internal HTTP API (`${url}/translate`, `/health`, `/ready`). */
  url: string;
  topology: MessagingTopology;
  engine: TranslationEngine;
  registry: ModelRegistry;
  stats(): TranslatorStats;
  /** Graceful: stops consuming, lets running handlers and batches finish and ack, then closes everything. */
  stop(): Promise<void>;
}

/** How long start-up waits for Redis before going on without the cache (it keeps reconnecting). */
const REDIS_START_WAIT_MS = 2_000;

async function waitForRedis(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(), ms);
  try {
    await once(redis, 'ready', { signal: giveUp.signal });
  } catch {
    // Not there yet: start without the cache; the client keeps reconnecting in the background.
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The translator worker in this process: migrates the translations schema, declares the messaging
 * topology, serves /health, /ready and POST /translate, and consumes message events.
 */
export async function startTranslator(
  config: TranslatorConfig,
  options: StartTranslatorOptions = {},
): Promise<RunningTranslator> {
  const logger = options.logger ?? createLogger('translator', config.LOG_LEVEL);
  // transformers.js warns on console at every Marian load ("not a fast tokenizer"); our logs say what matters.
  transformersEnv.logLevel = LogLevel.ERROR;

  await ensureDatabase(config.DATABASE_URL);
  const orm = await createTranslationsOrm({ databaseUrl: config.DATABASE_URL, logger });
  const closers: Array<() => Promise<void> | void> = [() => orm.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, 'error while closing');
      }
    }
  };

  try {
    await migrate(orm, config.DATABASE_URL, TRANSLATIONS_DB_SCHEMA, logger);

    const redis = new Redis(config.REDIS_URL, {
      // The cache and the events must never hold translation up: no offline queue, short timeouts.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // Closing while Redis is down would otherwise wait 2 s for a socket that already failed.
      disconnectTimeout: 200,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    let redisDown = false;
    redis.on('error', (error) => {
      if (redisDown) return;
      redisDown = true;
      logger.warn({ err: error }, 'redis unavailable; cache bypassed and events skipped until it returns');
    });
    redis.on('ready', () => {
      if (redisDown) logger.info('redis available again');
      redisDown = false;
    });
    closers.push(() => redis.disconnect());
    await waitForRedis(redis, REDIS_START_WAIT_MS);

    const amqp = new Connection({ url: config.AMQP_URL, connectionName: 'parley-translator' });
    amqp.on('error', (error) => logger.warn({ err: error }, 'rabbitmq connection error'));
    closers.push(() => amqp.close());
    const topology = messagingTopology(config.AMQP_PREFIX);
    await declareMessagingTopology(amqp, topology);

    const registry = new ModelRegistry({
      modelSet: config.TRANSLATION_MODELS,
      modelsDir: config.MODELS_DIR,
      maxLoaded: config.MAX_LOADED_MODELS,
      logger,
      load: options.loadModel,
    });
    closers.push(() => registry.dispose());
    const engine = new TranslationEngine({
      registry,
      cache: new TranslationCache(redis, config.TRANSLATION_CACHE_TTL_SECONDS, logger),
      batchSize: config.TRANSLATION_BATCH_SIZE,
      windowMs: config.TRANSLATION_BATCH_WINDOW_MS,
      maxNewTokens: config.TRANSLATION_MAX_NEW_TOKENS,
      logger,
    });
    closers.push(() => engine.close());

    const handler = new MessageEventHandler({
      store: new TranslationStore(orm),
      engine,
      memberLanguages:
        options.memberLanguages ??
        new SubgraphMemberLanguages({
          conversationsUrl: config.CONVERSATIONS_URL,
          usersUrl: config.USERS_URL,
          signingSecret: config.SUBGRAPH_SIGNING_SECRET,
          timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        }),
      publisher: new TranslationPublisher(redis, logger),
      logger,
    });

    let accepting = false;
    const http = await startHttpServer({
      host: config.TRANSLATOR_HOST,
      port: config.TRANSLATOR_PORT,
      engine,
      signingSecret: config.SUBGRAPH_SIGNING_SECRET,
      logger,
      accepting: () => accepting,
      probes: {
        postgresql: async () => {
          await orm.em.getConnection().execute('select 1');
        },
        redis: async () => {
          await redis.ping();
        },
        rabbitmq: async () => {
          if (!amqp.ready) throw new Error('not connected');
        },
      },
    });
    closers.push(() => http.stop());

    const consumer = startMessageConsumer({
      connection: amqp,
      topology,
      prefetch: config.TRANSLATOR_PREFETCH,
      handler,
      retryBaseMs: config.TRANSLATION_RETRY_BASE_MS,
      logger,
    });
    closers.push(() => consumer.close());
    accepting = true;
    logger.info(
      {
        models: config.TRANSLATION_MODELS,
        modelsDir: config.MODELS_DIR,
        queue: topology.translatorQueue,
        prefetch: config.TRANSLATOR_PREFETCH,
        batchSize: config.TRANSLATION_BATCH_SIZE,
        batchWindowMs: config.TRANSLATION_BATCH_WINDOW_MS,
      },
      'translator started',
    );

    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      topology,
      engine,
      registry,
      stats: () => ({
        ...engine.stats,
        batches: engine.batcher.stats.runs,
        cancelled: engine.batcher.stats.cancelled,
        loadedModels: registry.loaded(),
        events: { ...consumer.stats },
      }),
      stop() {
        accepting = false;
        // Reverse order of start: consumer (waits for its handlers, so their batches run and
        // they ack), HTTP server, batcher, models, RabbitMQ, Redis, PostgreSQL.
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
