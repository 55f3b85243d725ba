import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets, subgraphEnv } from '@parley/common';

/** Every option of the messages subgraph, with its default. Parsed once at start-up. */
export const messagesEnvSchema = z
  .object({
    ...commonEnv,
    ...subgraphEnv,
    MESSAGES_HOST: z.string().default('127.0.0.1'),
    MESSAGES_PORT: port(4003),
    /** The users subgraph, asked for a sender's systemLanguage when the text's language cannot be detected. */
    USERS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    /** The conversations subgraph, asked who the current members of a conversation are. */
    CONVERSATIONS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
    /**
     * How long a conversation's member list may serve sends and reads without asking the
     * conversations subgraph again. Membership events drop an entry at once; this bounds how long
     * a lost event can leave it stale. 0 turns the cache off.
     */
    MEMBERSHIP_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
    /** Bound on the member ids the membership cache holds over all conversations. */
    MEMBERSHIP_CACHE_MAX_IDS: z.coerce.number().int().min(1).default(200_000),
    /** Timeout of one call to another subgraph. */
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    /** Run the outbox relay (PostgreSQL outbox → RabbitMQ) in this process. */
    OUTBOX_RELAY_ENABLED: z.stringbool().default(true),
    /** Prefix of every RabbitMQ exchange and queue name, so stacks sharing a broker stay apart. */
    AMQP_PREFIX: z.string().default(''),
    /** Outbox rows published (and confirmed) per relay transaction. */
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
    /** Safety-net poll of the outbox, besides the wakes (this process's sends, LISTEN/NOTIFY). */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1_000),
    /** How long one batch may wait for RabbitMQ (connection and publisher confirms) before it is retried. */
    OUTBOX_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    /** Upper bound of the exponential back-off between failed relay attempts. */
    OUTBOX_MAX_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
  })
  .superRefine(refineProductionSecrets);

export type MessagesConfig = z.infer<typeof messagesEnvSchema>;

export const loadMessagesConfig = (env: NodeJS.ProcessEnv = process.env): MessagesConfig =>
  parseEnv('messages', messagesEnvSchema, env);
