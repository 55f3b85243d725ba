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
    /**
     * How long a subscriber whose variant is a translation waits for it before it gets the original
     * with PENDING (a messageUpdated follows when it is stored). Contract default 3000.
     */
    TRANSLATION_DEADLINE_MS: z.coerce.number().int().min(0).default(3000),
    /** How long a new-message event that leaves a seq gap waits for the missing one. */
    SUBSCRIPTION_REORDER_WINDOW_MS: z.coerce.number().int().min(0).default(100),
    /** Bytes a subscriber's socket may have unsent before its subscription is ended (a client that stopped reading). */
    SUBSCRIPTION_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(4_194_304),
    /**
     * Share one federated resolution per group of subscribers who read the same thing. `false`
     * resolves per subscriber: only for benchmarks and diagnosis.
     */
    SUBSCRIPTION_GROUPING: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /**
     * How often each conversation's subscribers are checked against its current members (0 = never):
     * a member who left stops receiving at once through the membership event, and within this
     * interval should that event be lost.
     */
    SUBSCRIPTION_ACCESS_SWEEP_MS: z.coerce.number().int().min(0).default(60_000),
    /** WebSocket: time a client has to send connection_init (then 4408). */
    WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
    /** WebSocket: interval of keep-alive pings; a socket that misses a pong for as long is dropped (0 = off). */
    WS_KEEPALIVE_MS: z.coerce.number().int().min(0).default(12_000),
    /** WebSocket: largest accepted message, in bytes (larger: close 1009). */
    WS_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(100_000),
    /** WebSocket: most subscriptions open at once on one connection. */
    WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).default(100),
    /** WebSocket: operations per second one connection may start on average (bursts of twice that). */
    WS_OPERATIONS_PER_SECOND: z.coerce.number().min(0.1).default(20),
    /** On shutdown, how long running operations and events being resolved may take before sockets close (1001). */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(5000),
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
