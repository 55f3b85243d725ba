import { existsSync, readFileSync } from 'node:fs';
import { fromRoot, schemaFiles } from '../paths';

export type ContractCopyStatus = 'identical' | 'differs' | 'no-shared-contract' | 'missing-copy';

/**
 * schema/contract.graphql is a byte-identical copy of ../shared/contract/schema.graphql, kept in
 * the repository so the checks run where ../shared is absent (a plain clone, CI). Where the shared
 * file exists, the copy must not drift from it.
 */
export function contractCopyStatus(
  copyPath: string = fromRoot(schemaFiles.contract),
  sharedPath: string = fromRoot(schemaFiles.sharedContract),
): ContractCopyStatus {
  if (!existsSync(copyPath)) return 'missing-copy';
  if (!existsSync(sharedPath)) return 'no-shared-contract';
  return readFileSync(copyPath).equals(readFileSync(sharedPath)) ? 'identical' : 'differs';
}
