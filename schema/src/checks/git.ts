import { execFileSync } from 'node:child_process';

export type GitRead = { found: true; content: string } | { found: false; reason: string };

/**
 * Reads `path` (relative to the repository root) as committed at `ref`. Never throws: no git,
 * no commit yet, or a file added by the change under review all mean "no baseline".
 */
export function readAtRef(repoRoot: string, ref: string, path: string): GitRead {
  try {
    const content = execFileSync('git', ['show', `${ref}:${path}`], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return { found: true, content };
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const reason = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n')[0]! : String(error);
    return { found: false, reason };
  }
}

function git(repoRoot: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The ref whose `path` is the *previous committed* version: HEAD while the file has uncommitted
 * changes; once committed (as in CI, on a clone of the submission), the parent of the newest commit
 * that changed it. Comparing with HEAD alone would let a committed break through unseen.
 */
export function previousVersionRef(repoRoot: string, path: string): string {
  const dirty = git(repoRoot, ['status', '--porcelain', '--', path]);
  if (dirty === undefined || dirty !== '') return 'HEAD';
  const newest = git(repoRoot, ['log', '-1', '--format=%H', '--', path]);
  return newest ? `${newest}^` : 'HEAD';
}
