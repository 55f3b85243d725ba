import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { previousVersionRef, readAtRef } from './git';

const run = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' });

describe('previousVersionRef', () => {
  const repo = mkdtempSync(join(tmpdir(), 'parley-git-'));
  const file = 'api.graphql';
  beforeAll(() => {
    run(repo, 'init', '-q');
    writeFileSync(join(repo, file), 'v1');
    run(repo, 'add', file);
    run(repo, 'commit', '-qm', 'one');
    writeFileSync(join(repo, 'other.txt'), 'x');
    run(repo, 'add', 'other.txt');
    run(repo, 'commit', '-qm', 'unrelated');
    writeFileSync(join(repo, file), 'v2');
    run(repo, 'commit', '-qam', 'two');
    run(repo, 'commit', '-q', '--allow-empty', '-m', 'later');
  });

  it('points at the version before the newest committed change (what CI sees)', () => {
    const ref = previousVersionRef(repo, file);
    expect(readAtRef(repo, ref, file)).toEqual({ found: true, content: 'v1' });
  });

  it('points at HEAD while the file has uncommitted changes', () => {
    writeFileSync(join(repo, file), 'v3');
    expect(previousVersionRef(repo, file)).toBe('HEAD');
    expect(readAtRef(repo, 'HEAD', file)).toEqual({ found: true, content: 'v2' });
  });
});
