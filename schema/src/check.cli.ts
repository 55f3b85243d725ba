import { existsSync, readFileSync } from 'node:fs';
import { loadAcceptedChanges } from './checks/accepted-changes';
import { findBreakingChanges } from './checks/breaking-changes';
import { previousVersionRef, readAtRef } from './checks/git';
import { findStaleFiles } from './checks/staleness';
import { findClientDocuments } from './client-operations/find-documents';
import { validateClientDocuments } from './client-operations/validate-documents';
import {
  composeSupergraph,
  CompositionFailedError,
  generatedFiles,
  loadSubgraphSdls,
  type Composition,
} from './compose';
import { checkContract } from './contract/check-contract';
import { contractCopyStatus } from './contract/contract-copy';
import { say } from './output';
import { fromRoot, repoRoot, schemaFiles } from './paths';
import { subgraphDefinitions, subgraphUrlVariables } from './subgraphs';

/**
 * `pnpm schema:check`: the schema registry checks, run before merging. Every check runs even
 * after one fails, and the exit code is 1 when any problem was found, listed together at the end.
 */
const problems: string[] = [];

function failed(check: string, found: string[]): void {
  for (const problem of found) {
    say.fail(`${check}: ${problem}`);
    problems.push(`${check}: ${problem}`);
  }
}

const readIfExists = (path: string): string | undefined =>
  existsSync(fromRoot(path)) ? readFileSync(fromRoot(path), 'utf8') : undefined;

async function compose(): Promise<{ composition?: Composition; names: string[] }> {
  const definitions = subgraphDefinitions();
  const names = definitions.map((definition) => definition.name);
  say.step(`composing ${names.length} subgraphs (${names.join(', ')})`);
  try {
    const composition = composeSupergraph(await loadSubgraphSdls(definitions));
    say.ok(`composition succeeded (${composition.hints.length} hints)`);
    return { composition, names };
  } catch (error) {
    if (!(error instanceof CompositionFailedError)) throw error;
    failed('composition', error.problems);
    return { names };
  }
}

function checkStaleness(composition: Composition): void {
  say.step(`comparing ${schemaFiles.supergraph} and ${schemaFiles.apiSchema} with the fresh composition`);
  const stale = findStaleFiles(generatedFiles(composition), readIfExists);
  failed('staleness', stale);
  if (stale.length === 0) return say.ok('supergraph up to date');
  const overridden = subgraphUrlVariables.filter((variable) => process.env[variable]);
  // Routing URLs are part of the supergraph, so an exported override alone makes it look stale.
  if (overridden.length > 0) say.note(`note: ${overridden.join(', ')} set; routing URLs are part of the supergraph`);
}

async function checkBreakingChanges(composition: Composition): Promise<void> {
  // SCHEMA_BASE_REF pins the baseline (e.g. the target branch); otherwise the previous committed version.
  const ref = process.env.SCHEMA_BASE_REF || previousVersionRef(repoRoot, schemaFiles.apiSchema);
  say.step(`looking for breaking changes against ${ref}:${schemaFiles.apiSchema}`);
  const accepted = loadAcceptedChanges(fromRoot(schemaFiles.acceptedChanges));
  failed(schemaFiles.acceptedChanges, accepted.problems);
  const previous = readAtRef(repoRoot, ref, schemaFiles.apiSchema);
  if (!previous.found) return say.note(`skipped: no previous API schema to compare with (${previous.reason})`);

  const report = await findBreakingChanges(previous.content, composition.apiSchema, accepted.accepted);
  for (const { change, entry } of report.accepted)
    say.note(`accepted: ${change.message} (${entry.date}: ${entry.reason})`);
  for (const change of report.dangerous) say.warn(`dangerous: ${change.message}`);
  for (const entry of report.unused) {
    say.note(`note: accepted entry ${entry.path ?? entry.message} matches no change and can be removed`);
  }
  failed(
    'breaking change',
    report.unaccepted.map((change) => `${change.message}${change.path ? ` [path: ${change.path}]` : ''}`),
  );
  if (report.unaccepted.length > 0) {
    say.note(`if a break is intended, record it in ${schemaFiles.acceptedChanges} (see schema/README.md)`);
  } else {
    say.ok(`no unaccepted breaking changes (${report.accepted.length} accepted)`);
  }
}

function checkContractContainment(composition: Composition, composed: string[]): void {
  say.step(`checking that the API schema contains the contract (${schemaFiles.contract})`);
  const copy = contractCopyStatus();
  if (copy === 'missing-copy') return failed('contract', [`${schemaFiles.contract} is missing`]);
  if (copy === 'differs') {
    const fix = `cp ${schemaFiles.sharedContract} ${schemaFiles.contract}`;
    failed('contract', [`${schemaFiles.contract} differs from ${schemaFiles.sharedContract}: copy it again (${fix})`]);
  }
  if (copy === 'no-shared-contract')
    say.note(`note: ${schemaFiles.sharedContract} not found; using the committed copy`);

  const report = checkContract(readFileSync(fromRoot(schemaFiles.contract), 'utf8'), composition.apiSchema, composed);
  const list = (parts: readonly string[]) => `${parts.length} parts (${parts.join(', ')})`;
  for (const [owner, parts] of report.checked) say.note(`checked   ${owner}: ${list(parts)}`);
  for (const [owner, parts] of report.deferred) say.note(`deferred  ${owner}, not composed yet: ${list(parts)}`);
  for (const name of report.unowned) say.note(`note: subgraph ${name} owns no part of the contract (see ownership.ts)`);
  failed('contract', report.problems);
  if (report.problems.length === 0) say.ok('API schema contains the contract parts of the composed subgraphs');
}

function checkClientOperations(composition: Composition): void {
  say.step(`validating client operations in ${schemaFiles.webSources} against the API schema`);
  const documents = findClientDocuments(fromRoot(schemaFiles.webSources), repoRoot);
  const result = validateClientDocuments(composition.apiSchema, documents);
  failed('client operations', result.problems);
  if (result.problems.length === 0)
    say.ok(`${result.operations} client operations valid (${documents.length} documents)`);
}

async function main(): Promise<number> {
  const { composition, names } = await compose();
  if (composition) {
    checkStaleness(composition);
    await checkBreakingChanges(composition);
    checkContractContainment(composition, names);
    checkClientOperations(composition);
  } else {
    say.note('skipped: staleness, breaking changes, contract and client operations need a composed schema');
  }

  if (problems.length === 0) {
    say.ok('schema checks passed');
    return 0;
  }
  say.fail(`schema checks failed with ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const problem of problems) say.note(`- ${problem}`);
  return 1;
}

process.exitCode = await main();
