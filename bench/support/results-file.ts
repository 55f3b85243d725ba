import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderMarkdown, type BenchRun } from './report';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** Formatted as prettier would, so the results can be committed and `pnpm lint` still passes. */
async function pretty(file: string, text: string): Promise<string> {
  const config = (await resolveConfig(file)) ?? {};
  return format(text, { ...config, filepath: file });
}

/**
 * Writes bench/results/<YYYY-MM-DD>-<hostname>.json and .md for a full run, and
 * <YYYY-MM-DD>-<hostname>-<selectors>.json and .md for a run of some sections (`pnpm bench
 * subscriptions`), so a partial run never replaces the day's full one. Returns their paths.
 */
export async function writeResults(run: BenchRun, selectors: readonly string[] = []): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const selection = selectors.map((selector) => selector.replace(/[^A-Za-z0-9._-]+/g, '_')).join('+');
  const base = path.join(
    RESULTS_DIR,
    `${run.machine.date.slice(0, 10)}-${run.machine.hostname}${selection ? `-${selection}` : ''}`,
  );
  const files: [string, string][] = [
    [`${base}.json`, JSON.stringify(run, null, 2)],
    [`${base}.md`, renderMarkdown(run)],
  ];
  for (const [file, text] of files) await writeFile(file, await pretty(file, text));
  return files.map(([file]) => file);
}
