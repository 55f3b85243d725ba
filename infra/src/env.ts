import { z } from 'zod';
import { commonEnv, parseEnv, port, refineProductionSecrets } from '@parley/common';
import { PROCESSES, selectProcesses, type ProcessSpec } from './processes';

const flag = (fallback: boolean) => z.stringbool().default(fallback);

/** Options shared by `pnpm start` and `pnpm services:ensure`. */
export const ensureEnvShape = {
  ...commonEnv,
  /** How long a backing service we started, or a child process, may take to answer. */
  START_TIMEOUT_MS: z.coerce.number().int().min(1000).default(90_000),
  /** Install a missing PostgreSQL/Redis/RabbitMQ with apt-get when running as root. */
  START_AUTO_INSTALL: flag(true),
};

export const ensureEnvSchema = z.object(ensureEnvShape).superRefine(refineProductionSecrets);
export type EnsureEnv = z.infer<typeof ensureEnvSchema>;

/** Every option of `pnpm start`, with its default. Parsed once, at start-up. */
export function startEnvSchema(processes: readonly ProcessSpec[] = PROCESSES) {
  const ports: Record<string, ReturnType<typeof port>> = {};
  const hosts: Record<string, z.ZodOptional<z.ZodString>> = {};
  for (const spec of processes) {
    if (spec.port) ports[spec.port.env] = port(spec.port.default);
    if (spec.hostEnv) hosts[spec.hostEnv] = z.string().min(1).optional();
  }
  return z
    .object({
      ...ensureEnvShape,
      /** Which processes to run: "all", "users,router", or "-router" (all but the router). */
      START_SERVICES: z
        .string()
        .default('all')
        .transform((value, ctx) => {
          try {
            return selectProcesses(value, processes);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
            return z.NEVER;
          }
        }),
      /** What to do about PostgreSQL, Redis and RabbitMQ: ensure (start/install), check (probe only), skip. */
      START_BACKING_SERVICES: z.enum(['ensure', 'check', 'skip']).default('ensure'),
      /** After SIGTERM, how long children get before they are killed. */
      START_STOP_GRACE_MS: z.coerce.number().int().min(0).default(15_000),
      /** pretty: "time LEVEL msg key=value"; json: the children's raw lines. */
      START_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
      ...ports,
      ...hosts,
    })
    .superRefine(refineProductionSecrets);
}

export type StartEnv = z.infer<ReturnType<typeof startEnvSchema>>;

export function loadStartEnv(
  env: NodeJS.ProcessEnv = process.env,
  processes: readonly ProcessSpec[] = PROCESSES,
): StartEnv {
  return parseEnv('start', startEnvSchema(processes), env);
}

export function loadEnsureEnv(env: NodeJS.ProcessEnv = process.env): EnsureEnv {
  return parseEnv('services:ensure', ensureEnvSchema, env);
}

/** Reads a dynamically-keyed option (ports and hosts depend on the process list). */
export function option<T>(env: StartEnv, key: string): T | undefined {
  return (env as Record<string, unknown>)[key] as T | undefined;
}
