/** A ratio or latency measured against the target the project set for it. */
export interface Check {
  label: string;
  measured: number;
  /** The measured value must be at least (`>=`) or at most (`<=`) the target to pass. */
  comparison: '>=' | '<=';
  target: number;
  unit: string;
  pass: boolean;
}

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

/** What one section hands back: printed as tables, written to the results files as is. */
export interface SectionResult {
  id: string;
  title: string;
  tables: Table[];
  checks: Check[];
  notes: string[];
  /** Correctness failures: a benchmark whose two sides compute different things measures nothing. */
  errors: string[];
  /** Raw numbers for the JSON results (per-round timings, percentiles, ...). */
  data: Record<string, unknown>;
}

export interface SectionContext {
  /** One line of progress on the console, prefixed with the section id. */
  progress(message: string): void;
}

/**
 * One entry of the section registry in bench/index.ts. `group` and `id` are what the command line
 * selects by (`pnpm bench translator`, `pnpm bench cache-hit`).
 */
export interface Section {
  group: string;
  id: string;
  title: string;
  run(context: SectionContext): Promise<SectionResult>;
}

export function check(
  label: string,
  measured: number,
  comparison: Check['comparison'],
  target: number,
  unit: string,
): Check {
  const pass = comparison === '>=' ? measured >= target : measured <= target;
  return { label, measured, comparison, target, unit, pass };
}
