import { once } from 'node:events';
import { env as transformersEnv, LogLevel } from '@huggingface/transformers';
import {
  createLogger,
  ensureDatabase,
  messagingTopology,
  migrate,
  type Logger,
  type MessagingTopology,
} from '@parley/common';
import { createTranslationsOrm, TRANSLATIONS_DB_SCHEMA } from '@parley/translations/store';
import { Redis } from 'ioredis';
import { TranslationCache } from './cache/translation-cache';
import type { TranslatorConfig } from './config';
import { connectToBroker } from './consumer/broker-connection';
import { startMessageConsumer, type ConsumerStats, type RunningConsumer } from './consumer/message-consumer';
import { MessageEventHandler } from './consumer/message-event-handler';
import { startTranslationRequestConsumer } from './consumer/translation-request-consumer';
import { TranslationRequestHandler } from './consumer/translation-request-handler';
import { VersionTranslator } from './consumer/version-translator';
import { TranslationClaims } from './events/translation-claims';
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
  /** Batches the micro-batcher ran (cache hits are answered before it and run none). */
  batches: number;
  /** Texts dropped from the batcher because their message was deleted or edited. */
  cancelled: number;
  loadedModels: string[];
  /** What became of the message events consumed so far. */
  events: ConsumerStats;
  /** What became of the on-demand translation requests consumed so far. */
  requests: ConsumerStats;
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
/** How long start-up waits for RabbitMQ and the topology before going on without them (consuming starts later). */
const BROKER_START_WAIT_MS = 2_000;

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
 * The translator worker in this process: migrates the translations schema, serves /health, /ready
 * and POST /translate, and consumes message events and translation requests. RabbitMQ is not
 * awaited: the topology is declared and consuming starts whenever the broker is (again) reachable.
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

    const topology = messagingTopology(config.AMQP_PREFIX);
    const broker = connectToBroker({ url: config.AMQP_URL, topology }, logger);
    const amqp = broker.connection;
    closers.push(() => broker.close());
    await broker.waitForTopology(BROKER_START_WAIT_MS);

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

    const store = new TranslationStore(orm);
    const claims = new TranslationClaims(redis, config.TRANSLATION_REQUEST_TTL_SECONDS, logger);
    const versionTranslator = new VersionTranslator({
      store,
      engine,
      publisher: new TranslationPublisher(redis, logger),
      logger,
    });
    const handler = new MessageEventHandler({
      store,
      engine,
      translator: versionTranslator,
      claims,
      memberLanguages:
        options.memberLanguages ??
        new SubgraphMemberLanguages({
          conversationsUrl: config.CONVERSATIONS_URL,
          usersUrl: config.USERS_URL,
          signingSecret: config.SUBGRAPH_SIGNING_SECRET,
          timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        }),
      logger,
    });
    const requestHandler = new TranslationRequestHandler({ store, translator: versionTranslator, claims, logger });

    let accepting = false;
    const consumers: RunningConsumer[] = [];
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
          // Ready means consuming: both queues declared, bound and subscribed.
          if (!consumers.every((running) => running.consuming())) throw new Error('not consuming yet');
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
    const requests = startTranslationRequestConsumer({
      connection: amqp,
      topology,
      prefetch: config.TRANSLATOR_PREFETCH,
      handler: requestHandler,
      retryBaseMs: config.TRANSLATION_RETRY_BASE_MS,
      logger,
    });
    closers.push(() => requests.close());
    consumers.push(consumer, requests);
    accepting = true;
    logger.info(
      {
        models: config.TRANSLATION_MODELS,
        modelsDir: config.MODELS_DIR,
        queues: [topology.translatorQueue, topology.translationRequestsQueue],
        rabbitmq: amqp.ready ? 'connected' : 'not reachable yet; consuming starts once it is',
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
        requests: { ...requests.stats },
      }),
      stop() {
        accepting = false;
        // Reverse order of start: consumers (wait for their handlers, so their batches run and
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
