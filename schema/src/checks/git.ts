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
