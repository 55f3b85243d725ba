import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot, schemaFiles } from '../paths';
import { contractCopyStatus } from './contract-copy';

const shared = fromRoot(schemaFiles.sharedContract);

describe('schema/contract.graphql', () => {
  // ../shared exists only in the full development setup; a plain clone must still pass.
  (existsSync(shared) ? it : it.skip)('is a byte-identical copy of ../shared/contract/schema.graphql', () => {
    expect(readFileSync(fromRoot(schemaFiles.contract)).equals(readFileSync(shared))).toBe(true);
  });
});

describe('contractCopyStatus', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'contract-copy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells identical, different, missing shared and missing copy apart', () => {
    const copy = join(dir, 'copy.graphql');
    const source = join(dir, 'shared.graphql');
    expect(contractCopyStatus(copy, source)).toBe('missing-copy');
    writeFileSync(copy, 'type Query { a: Int }\n');
    expect(contractCopyStatus(copy, source)).toBe('no-shared-contract');
    writeFileSync(source, 'type Query { a: Int }\n');
    expect(contractCopyStatus(copy, source)).toBe('identical');
    writeFileSync(source, 'type Query { a: Int }');
    expect(contractCopyStatus(copy, source)).toBe('differs');
  });
});
