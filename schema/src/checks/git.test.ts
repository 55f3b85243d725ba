import { repoRoot } from '../paths';
import { readAtRef } from './git';

describe('readAtRef', () => {
  it('returns a reason instead of throwing when there is no such file at the ref', () => {
    const result = readAtRef(repoRoot, 'HEAD', 'schema/no-such-file.graphql');
    expect(result.found).toBe(false);
    if (!result.found) expect(result.reason).not.toBe('');
  });
});
