import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so the CLIs work from any working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Files the checks read and write, relative to the repository root: messages quote these paths
 * and `git show HEAD:<path>` needs them in this form.
 */
export const schemaFiles = {
  supergraph: 'schema/supergraph.graphql',
  apiSchema: 'schema/api-schema.graphql',
  contract: 'schema/contract.graphql',
  acceptedChanges: 'schema/accepted-changes.json',
  /** The source of truth for contract.graphql; absent outside the full development setup. */
  sharedContract: '../shared/contract/schema.graphql',
  /** Where the web client's GraphQL documents live. */
  webSources: 'web/src',
} as const;

export const fromRoot = (relativePath: string): string => resolve(repoRoot, relativePath);
