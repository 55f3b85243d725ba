import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets } from '@parley/common';
import { MODELS_DIR } from './models/load-seq2seq';
import { TranslationModelSets } from './models/model-catalog';

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** Every option of the translator worker, with its default. Parsed once at start-up. */
export const translatorEnvSchema = z
  .object({
    ...commonEnv,
    /** Loopback by default: only the translations subgraph calls the internal API. */
    TRANSLATOR_HOST: z.string().default('127.0.0.1'),
    TRANSLATOR_PORT: port(4006),
    /**
     * Which models translate: `basic` (opus-mt per pair, English as pivot), `premium` (NLLB-200 for
     * every pair) or `test-tiny` (the tiny random-weight model for every pair; gibberish, for tests).
     */
    TRANSLATION_MODELS: z.enum(TranslationModelSets).default('basic'),
    /** Directory holding one directory per model (`pnpm models:pull` fills it). */
    MODELS_DIR: z.string().min(1).default(MODELS_DIR),
    /** Most texts in one batched inference. */
    TRANSLATION_BATCH_SIZE: positiveInt(16, 512),
    /** How long the first text of a batch waits for others before the batch runs anyway. */
    TRANSLATION_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(10_000).default(10),
    /** Unacknowledged message events held at once (RabbitMQ prefetch, also the handler concurrency). */
    TRANSLATOR_PREFETCH: positiveInt(64, 10_000),
    /** Models kept in memory; the least recently used one is disposed beyond this. */
    MAX_LOADED_MODELS: positiveInt(2, 64),
    /** Cap on generated tokens per text (a model may have a lower cap of its own, e.g. test-tiny: 32). */
    TRANSLATION_MAX_NEW_TOKENS: positiveInt(256, 4096),
    /** Prefix of every exchange and queue name, so side-by-side stacks and test runs stay apart. */
    AMQP_PREFIX: z.string().default(''),
    /** Lifetime of a cached translation in Redis (default 7 days). */
    TRANSLATION_CACHE_TTL_SECONDS: positiveInt(7 * 24 * 3600, 365 * 24 * 3600),
    /** How long a Redis command may take before the cache is bypassed for it. */
    REDIS_COMMAND_TIMEOUT_MS: positiveInt(500, 60_000),
    /**
     * First wait before a failed message event is requeued; doubles per delivery, at most 30 s. With
     * the delivery limit of 5 an event is retried for about 15 s before it is dead-lettered.
     */
    TRANSLATION_RETRY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
    /**
     * Lifetime of the Redis key that marks a (message, version, language) as queued: the
     * translations subgraph publishes at most one on-demand request per key and lifetime, and the
     * translator takes the keys of the member languages it translates. Must match the subgraph's.
     */
    TRANSLATION_REQUEST_TTL_SECONDS: positiveInt(60, 24 * 3600),
    /** The users subgraph (Conversation.languages), called signed. */
    USERS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    /** The conversations subgraph (Conversation.memberIds), called signed. */
    CONVERSATIONS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
    /** How long a call to the users or conversations subgraph may take. */
    SUBGRAPH_TIMEOUT_MS: positiveInt(5_000, 120_000),
  })
  .superRefine(refineProductionSecrets);

export type TranslatorConfig = z.infer<typeof translatorEnvSchema>;

export const loadTranslatorConfig = (env: NodeJS.ProcessEnv = process.env): TranslatorConfig =>
  parseEnv('translator', translatorEnvSchema, env);
