import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets, subgraphEnv } from '@parley/common';

/** Every option of the translations subgraph, with its default. Parsed once at start-up. */
export const translationsEnvSchema = z
  .object({
    ...commonEnv,
    ...subgraphEnv,
    /** Loopback by default: only the router reaches a subgraph. */
    TRANSLATIONS_HOST: z.string().default('127.0.0.1'),
    TRANSLATIONS_PORT: port(4005),
    /** The users subgraph, asked for the viewer's language preferences (signed like the router's requests). */
    USERS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    /** Base URL of the translator's internal HTTP API (POST /translate), used by Query.translate. */
    TRANSLATOR_URL: z.url().default('http://127.0.0.1:4006'),
    /** How long Query.translate waits for the translator before answering INTERNAL_SERVER_ERROR. */
    TRANSLATOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    /** How long a text field waits for the users subgraph's answer about the viewer. */
    USERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /** Query.translate calls allowed per user per minute (shared by every replica through Redis). */
    TRANSLATE_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
    /** Prefix of the RabbitMQ names; the same as the translator's, which consumes the translation requests. */
    AMQP_PREFIX: z.string().default(''),
    /**
     * How long one (message, version, language) stays claimed after its on-demand request was
     * queued: no second job is queued meanwhile, however many readers ask; a variant still PENDING
     * after it is asked for again. Keep it equal to the translator's.
     */
    TRANSLATION_REQUEST_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** On-demand translations (message × language) one user may get queued per minute. */
    ON_DEMAND_TRANSLATION_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    /**
     * `false`: a PENDING read queues nothing; only the member languages at send time are translated
     * (a deployment without a translator, or one that must not spend inference on readers' requests).
     */
    ON_DEMAND_TRANSLATIONS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /** Longest wait for RabbitMQ to confirm one translation request (the read never waits for it). */
    TRANSLATION_REQUEST_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  })
  .superRefine(refineProductionSecrets);

export type TranslationsConfig = z.infer<typeof translationsEnvSchema>;

export const loadTranslationsConfig = (env: NodeJS.ProcessEnv = process.env): TranslationsConfig =>
  parseEnv('translations', translationsEnvSchema, env);
