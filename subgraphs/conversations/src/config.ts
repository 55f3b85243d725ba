import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets, subgraphEnv } from '@parley/common';

/** Every option of the conversations subgraph, with its default. Parsed once at start-up. */
export const conversationsEnvSchema = z
  .object({
    ...commonEnv,
    ...subgraphEnv,
    CONVERSATIONS_HOST: z.string().default('127.0.0.1'),
    CONVERSATIONS_PORT: port(4002),
    /** The users subgraph, asked whether user ids exist (signed like the router's requests). */
    USERS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    /** Most members one createConversation may name. */
    MAX_INITIAL_MEMBERS: z.coerce.number().int().min(1).default(500),
    /**
     * How long a `typing` event with isTyping true holds without renewal (the event's `ttlMs`):
     * clients renew it while the user types, and a lost `false` lapses by itself after this long.
     */
    TYPING_TTL_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /** setTyping calls allowed per user and conversation per TYPING_RATE_WINDOW_SECONDS (shared through Redis). */
    TYPING_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    TYPING_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(10),
  })
  .superRefine(refineProductionSecrets);

export type ConversationsConfig = z.infer<typeof conversationsEnvSchema>;

export const loadConversationsConfig = (env: NodeJS.ProcessEnv = process.env): ConversationsConfig =>
  parseEnv('conversations', conversationsEnvSchema, env);
