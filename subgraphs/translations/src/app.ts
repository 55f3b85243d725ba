import { createLogger, RateLimiter, startOrmSubgraph, type Logger, type RunningSubgraph } from '@parley/common';
import { Redis } from 'ioredis';
import type { TranslationsConfig } from './config';
import type { TranslationsContext } from './context';
import type { ViewerPreferences } from './messages/localize';
import { createTranslationsLoader } from './messages/translations.loader';
import { RequestClaims } from './requests/request-claims';
import { TranslationRequestPublisher } from './requests/translation-request-publisher';
import { TranslationRequester } from './requests/translation-requester';
import { buildTranslationsSchema } from './schema';
import { createTranslationsOrm, TRANSLATIONS_DB_SCHEMA } from './store';
import { TranslatorClient } from './translate/translator-client';
import { ViewerDirectory } from './viewer/viewer-directory';
import { viewerPreferences } from './viewer/viewer-preferences';

export interface TranslationsSubgraphOptions {
  logger?: Logger;
  onQuery?: (sql: string) => void;
}

/** How long start-up gives RabbitMQ before it goes on without it (reads queue jobs once it is back). */
const BROKER_START_WAIT_MS = 2_000;

/** A viewer the users subgraph does not know reads originals: nothing to translate into. */
const ORIGINALS_ONLY: ViewerPreferences = { preferredLanguage: '', autoTranslateEnabled: false };

export async function startTranslationsSubgraph(
  config: TranslationsConfig,
  options: TranslationsSubgraphOptions = {},
): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger('translations', config.LOG_LEVEL);
  // Rate limits fail open while Redis is away, so no offline queue: a command fails at once.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const rateLimiter = new RateLimiter(redis, logger, 'parley:translations:translate');
  const viewers = new ViewerDirectory(
    config.USERS_URL,
    config.SUBGRAPH_SIGNING_SECRET,
    logger,
    config.USERS_TIMEOUT_MS,
  );
  const translator = new TranslatorClient(
    config.TRANSLATOR_URL,
    config.SUBGRAPH_SIGNING_SECRET,
    logger,
    config.TRANSLATOR_TIMEOUT_MS,
  );
  const requestPublisher = new TranslationRequestPublisher({
    amqpUrl: config.AMQP_URL,
    amqpPrefix: config.AMQP_PREFIX,
    publishTimeoutMs: config.TRANSLATION_REQUEST_PUBLISH_TIMEOUT_MS,
    logger,
  });
  const onDemandLimiter = new RateLimiter(redis, logger, 'parley:translations:on-demand');
  const translationRequests = new TranslationRequester(
    new RequestClaims(redis, config.TRANSLATION_REQUEST_TTL_SECONDS, logger),
    requestPublisher,
    logger,
    (userId) =>
      onDemandLimiter.consume(userId, { limit: config.ON_DEMAND_TRANSLATION_RATE_LIMIT, windowSeconds: 60 }).then(
        () => true,
        () => false,
      ),
  );
  const closeRequests = async () => {
    await translationRequests.idle();
    await requestPublisher.close();
  };

  try {
    await requestPublisher.waitForBroker(BROKER_START_WAIT_MS);
    return await startOrmSubgraph<TranslationsContext>({
      name: 'translations',
      dbSchema: TRANSLATIONS_DB_SCHEMA,
      databaseUrl: config.DATABASE_URL,
      host: config.TRANSLATIONS_HOST,
      port: config.TRANSLATIONS_PORT,
      signingSecret: config.SUBGRAPH_SIGNING_SECRET,
      maxBodyBytes: config.SUBGRAPH_MAX_BODY_BYTES,
      logger,
      createOrm: () => createTranslationsOrm({ databaseUrl: config.DATABASE_URL, logger, onQuery: options.onQuery }),
      buildSchema: buildTranslationsSchema,
      context: (identity, em, router) => ({
        identity,
        router,
        em,
        loaders: { translationsByVersion: createTranslationsLoader(em) },
        viewer: viewerPreferences(router, async () => {
          const preferences = await viewers.preferences(identity);
          if (!preferences) logger.warn({ userId: identity.userId }, 'viewer unknown to the users subgraph');
          return preferences ?? ORIGINALS_ONLY;
        }),
        translator,
        translationRequests,
        rateLimiter,
        config,
      }),
      onStop: async () => {
        await closeRequests();
        redis.disconnect();
      },
    });
  } catch (error) {
    await closeRequests();
    redis.disconnect();
    throw error;
  }
}
