import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets, subgraphEnv } from '@parley/common';

/** Every option of the users subgraph, with its default. Parsed once at start-up. */
export const usersEnvSchema = z
  .object({
    ...commonEnv,
    ...subgraphEnv,
    USERS_HOST: z.string().default('127.0.0.1'),
    USERS_PORT: port(4001),
    /** Lifetime of an access token. */
    JWT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .default(7 * 24 * 3600),
    /** Sign-in attempts allowed per email per window. */
    SIGN_IN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(10),
    /** Sign-in attempts allowed per client address per window. */
    SIGN_IN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(50),
    SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  })
  .superRefine(refineProductionSecrets);

export type UsersConfig = z.infer<typeof usersEnvSchema>;

export const loadUsersConfig = (env: NodeJS.ProcessEnv = process.env): UsersConfig =>
  parseEnv('users', usersEnvSchema, env);
