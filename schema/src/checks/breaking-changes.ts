import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { acceptedMatches, type AcceptedChange } from './accepted-changes';

export interface BreakingChangeReport {
  /** Breaking changes with no accepted entry: these fail the check. */
  unaccepted: Change[];
  /** Breaking changes matched by an accepted entry. */
  accepted: Array<{ change: Change; entry: AcceptedChange }>;
  /** Changes that break no valid query but may change behaviour (e.g. a new enum value). */
  dangerous: Change[];
  /** Accepted entries that matched nothing: left over from an earlier change, safe to delete. */
  unused: AcceptedChange[];
}

/** Check (c): what a fresh API schema breaks for clients of the previous one. */
export async function findBreakingChanges(
  previousApiSdl: string,
  currentApi: GraphQLSchema,
  acceptedChanges: AcceptedChange[],
): Promise<BreakingChangeReport> {
  const changes = await diff(buildSchema(previousApiSdl), currentApi);
  const report: BreakingChangeReport = { unaccepted: [], accepted: [], dangerous: [], unused: [] };
  const used = new Set<AcceptedChange>();
  for (const change of changes) {
    if (change.criticality.level === CriticalityLevel.Dangerous) report.dangerous.push(change);
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const entry = acceptedChanges.find((candidate) => acceptedMatches(candidate, change));
    if (entry) {
      used.add(entry);
      report.accepted.push({ change, entry });
    } else {
      report.unaccepted.push(change);
    }
  }
  report.unused = acceptedChanges.filter((entry) => !used.has(entry));
  return report;
}
