import type { Logger } from 'pino';

/** Rejects with `message` when `promise` has not settled within `ms`; the timer never outlives it. */
export async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message = `timed out after ${ms} ms`,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type Probe = () => Promise<void>;

export interface ProbeReport {
  checks: Record<string, 'up' | 'down'>;
  /** Names of the probes that failed or timed out. */
  down: string[];
}

/** Runs every readiness probe at once, each bounded by `timeoutMs`; a failure is logged, never thrown. */
export async function runProbes(
  probes: Record<string, Probe>,
  timeoutMs: number,
  logger: Logger,
): Promise<ProbeReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        await withTimeout(probe(), timeoutMs);
        return [name, 'up'] as const;
      } catch (error) {
        logger.warn({ dependency: name, err: error }, 'dependency not ready');
        return [name, 'down'] as const;
      }
    }),
  );
  return {
    checks: Object.fromEntries(entries),
    down: entries.filter(([, state]) => state === 'down').map(([name]) => name),
  };
}
