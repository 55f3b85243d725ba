import { existsSync, readFileSync } from 'node:fs';

/**
 * A breaking change that was reviewed and accepted. It matches a change by `path` (schema
 * coordinate as @graphql-inspector reports it, e.g. `Query.user`), by exact `message`, or by both
 * when both are given. See schema/README.md.
 */
export interface AcceptedChange {
  path?: string;
  message?: string;
  /** Why clients are not hurt, or how they were migrated. */
  reason: string;
  /** When it was accepted, YYYY-MM-DD. */
  date: string;
}

export interface AcceptedChangesFile {
  accepted: AcceptedChange[];
  problems: string[];
}

/** Loads schema/accepted-changes.json; a missing file means nothing is accepted. */
export function loadAcceptedChanges(path: string): AcceptedChangesFile {
  if (!existsSync(path)) return { accepted: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { accepted: [], problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  return parseAcceptedChanges(json);
}

/** Validates the file's shape; every malformed entry is reported, and only valid ones are used. */
export function parseAcceptedChanges(json: unknown): AcceptedChangesFile {
  const list = isRecord(json) ? json.accepted : undefined;
  if (!Array.isArray(list)) return { accepted: [], problems: ['expected an object with an "accepted" array'] };
  const accepted: AcceptedChange[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, index) => {
    const entryProblems = entryProblemsOf(entry);
    if (entryProblems.length === 0) accepted.push(entry as AcceptedChange);
    else problems.push(`entry ${index}: ${entryProblems.join('; ')}`);
  });
  return { accepted, problems };
}

function entryProblemsOf(entry: unknown): string[] {
  if (!isRecord(entry)) return ['must be an object'];
  const problems: string[] = [];
  const { path, message, reason, date } = entry;
  if (path === undefined && message === undefined) problems.push('needs "path" or "message"');
  if (path !== undefined && !nonEmptyString(path)) problems.push('"path" must be a non-empty string');
  if (message !== undefined && !nonEmptyString(message)) problems.push('"message" must be a non-empty string');
  if (!nonEmptyString(reason)) problems.push('"reason" must say why the break is acceptable');
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    problems.push('"date" must be YYYY-MM-DD');
  }
  return problems;
}

export function acceptedMatches(entry: AcceptedChange, change: { path?: string; message: string }): boolean {
  return (
    (entry.path === undefined || entry.path === change.path) &&
    (entry.message === undefined || entry.message === change.message)
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
