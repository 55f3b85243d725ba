import type { GeneratedFile } from '../compose';

/**
 * Check (b): the committed outputs equal a fresh composition, byte for byte. `read` returns a
 * file's current content, or undefined when it does not exist.
 */
export function findStaleFiles(expected: GeneratedFile[], read: (path: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const file of expected) {
    const current = read(file.path);
    if (current === undefined) {
      problems.push(`${file.path} is missing: run \`pnpm schema:compose\` and commit it`);
    } else if (current !== file.content) {
      problems.push(
        `${file.path} is stale (first difference at line ${firstDifferentLine(current, file.content)}): ` +
          'run `pnpm schema:compose` and commit the result',
      );
    }
  }
  return problems;
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  const index = left.findIndex((line, i) => line !== right[i]);
  return (index === -1 ? left.length : index) + 1;
}
