import { median } from './stats';

export interface Pair {
  aMs: number;
  bMs: number;
}

export interface PairedResult {
  pairs: Pair[];
  totalAMs: number;
  totalBMs: number;
  /** Median over the pairs of aMs / bMs. */
  medianRatio: number;
  minRatio: number;
  maxRatio: number;
}

/**
 * Times `a` and `b` on the same item back to back, for every item, `rounds` times, alternating which
 * goes first. On a shared machine the load changes over seconds: a ratio taken within each pair and
 * then the median over pairs cancels most of that, where two long runs timed one after the other
 * would each see a different machine.
 */
export async function paired<T>(
  items: readonly T[],
  rounds: number,
  a: (item: T) => Promise<unknown>,
  b: (item: T) => Promise<unknown>,
  onRound: (round: number, pairs: Pair[]) => void,
): Promise<PairedResult> {
  const pairs: Pair[] = [];
  for (let round = 1; round <= rounds; round++) {
    const roundPairs: Pair[] = [];
    for (const [i, item] of items.entries()) {
      const time = async (fn: (item: T) => Promise<unknown>) => {
        const started = performance.now();
        await fn(item);
        return performance.now() - started;
      };
      let aMs: number;
      let bMs: number;
      if ((round + i) % 2 === 0) {
        aMs = await time(a);
        bMs = await time(b);
      } else {
        bMs = await time(b);
        aMs = await time(a);
      }
      roundPairs.push({ aMs, bMs });
    }
    pairs.push(...roundPairs);
    onRound(round, roundPairs);
  }
  const ratios = pairs.map((p) => p.aMs / p.bMs);
  return {
    pairs,
    totalAMs: pairs.reduce((sum, p) => sum + p.aMs, 0),
    totalBMs: pairs.reduce((sum, p) => sum + p.bMs, 0),
    medianRatio: median(ratios),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
  };
}
