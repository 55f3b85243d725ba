import { z } from 'zod';

/** Development defaults, refused in production; exported so tests sign as the services do. */
export const DEV_JWT_SECRET = 'parley-development-jwt-secret-change-me-0001';
export const DEV_SIGNING_SECRET = 'parley-development-subgraph-signing-secret-02';

export const nodeEnv = z.enum(['development', 'production', 'test']).default('development');

/** A port number given as a string in the environment. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

const secret = (name: string, devDefault: string) =>
  z.string().min(32, `${name} must be at least 32 characters`).default(devDefault);

/**
 * Options every service shares. Secrets have development defaults so `pnpm start` works out of
 * the box; `refineProductionSecrets` refuses those defaults when NODE_ENV=production.
 */
export const commonEnv = {
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/parley'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
  JWT_SECRET: secret('JWT_SECRET', DEV_JWT_SECRET),
  SUBGRAPH_SIGNING_SECRET: secret('SUBGRAPH_SIGNING_SECRET', DEV_SIGNING_SECRET),
};

/**
 * Largest request body a subgraph reads (bytes). The router's requests can be far larger than the
 * client's: a page of `Message.text` sends every message's content to the translations subgraph
 * in one `_entities` call (@requires), and 500 messages (`messagesSince`'s largest page) of 4000
 * characters come to 8–12 MB of JSON; several conversations' pages in one operation add up.
 */
export const DEFAULT_SUBGRAPH_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Options every subgraph shares besides commonEnv's. */
export const subgraphEnv = {
  SUBGRAPH_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_SUBGRAPH_MAX_BODY_BYTES),
};

export function refineProductionSecrets(
  env: { NODE_ENV: string; JWT_SECRET: string; SUBGRAPH_SIGNING_SECRET: string },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV !== 'production') return;
  if (env.JWT_SECRET === DEV_JWT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
  }
  if (env.SUBGRAPH_SIGNING_SECRET === DEV_SIGNING_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['SUBGRAPH_SIGNING_SECRET'], message: 'must be set in production' });
  }
}
