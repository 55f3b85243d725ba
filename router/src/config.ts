import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets } from '@parley/common';

const DEFAULT_SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

const optionalUrl = z.url().optional();

/** Every option of the router, with its default. Parsed once at start-up. */
export const routerEnvSchema = z
  .object({
    ...commonEnv,
    ROUTER_HOST: z.string().default('0.0.0.0'),
    ROUTER_PORT: port(4000),
    /** The composed supergraph (`pnpm schema:compose` writes it). Never introspected at run time. */
    SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH),
    /** Override a subgraph's routing URL from the supergraph: <NAME>_URL, e.g. USERS_URL. */
    USERS_URL: optionalUrl,
    CONVERSATIONS_URL: optionalUrl,
    MESSAGES_URL: optionalUrl,
    CALLS_URL: optionalUrl,
    TRANSLATIONS_URL: optionalUrl,
    /** Deepest field nesting an operation may have (introspection excluded). */
    MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(12),
    /** Most aliases in one document. */
    MAX_ALIASES: z.coerce.number().int().min(0).default(30),
    /** Most lexical tokens in one document; checked before parsing. */
    MAX_TOKENS: z.coerce.number().int().min(100).default(5000),
    /** Largest accepted request body, in bytes. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(100_000),
    /** Express `trust proxy` setting: hops of proxies whose X-Forwarded-For is believed (0 = none). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    /** How long /ready waits for each dependency. */
    READY_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  })
  .superRefine(refineProductionSecrets);

export type RouterConfig = z.infer<typeof routerEnvSchema>;

export const loadRouterConfig = (env: NodeJS.ProcessEnv = process.env): RouterConfig =>
  parseEnv('router', routerEnvSchema, env);

/** The URL overrides by subgraph name as it appears in the supergraph (lower-case). */
export function subgraphUrlOverrides(config: RouterConfig): Record<string, string | undefined> {
  return {
    users: config.USERS_URL,
    conversations: config.CONVERSATIONS_URL,
    messages: config.MESSAGES_URL,
    calls: config.CALLS_URL,
    translations: config.TRANSLATIONS_URL,
  };
}
