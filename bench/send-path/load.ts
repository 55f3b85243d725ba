import { LatencyRecorder, type LatencySummary } from '../support/stats';

export interface LoadResult {
  operations: number;
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
  errors: number;
}

/**
 * Runs `total` operations with `concurrency` of them in flight at any time (a closed loop: each
 * worker starts the next as soon as its last one answers), recording each one's latency.
 */
export async function closedLoop(
  total: number,
  concurrency: number,
  operation: (n: number) => Promise<void>,
  onProgress?: (done: number) => void,
): Promise<LoadResult> {
  const recorder = new LatencyRecorder();
  let next = 0;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const n = next++;
      const at = performance.now();
      try {
        await operation(n);
      } catch {
        errors++;
      }
      recorder.recordMs(performance.now() - at);
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return { operations: total, elapsedMs, perSecond: (total / elapsedMs) * 1000, latency: recorder.summary(), errors };
}
