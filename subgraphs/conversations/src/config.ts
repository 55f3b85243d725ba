import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets } from '@parley/common';

/** Every option of the conversations subgraph, with its default. Parsed once at start-up. */
export const conversationsEnvSchema = z
  .object({
    ...commonEnv,
    CONVERSATIONS_HOST: z.string().default('127.0.0.1'),
    CONVERSATIONS_PORT: port(4002),
    /** The users subgraph, asked whether user ids exist (signed like the router's requests). */
    USERS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    /** Most members one createConversation may name. */
    MAX_INITIAL_MEMBERS: z.coerce.number().int().min(1).default(500),
  })
  .superRefine(refineProductionSecrets);

export type ConversationsConfig = z.infer<typeof conversationsEnvSchema>;

export const loadConversationsConfig = (env: NodeJS.ProcessEnv = process.env): ConversationsConfig =>
  parseEnv('conversations', conversationsEnvSchema, env);
