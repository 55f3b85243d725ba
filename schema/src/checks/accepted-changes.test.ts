import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot, schemaFiles } from '../paths';
import { acceptedMatches, loadAcceptedChanges, parseAcceptedChanges } from './accepted-changes';

describe('parseAcceptedChanges', () => {
  it('accepts well-formed entries', () => {
    const entries = [
      { path: 'Query.me', reason: 'replaced by Query.viewer in every client', date: '2026-11-21' },
      { message: "Field 'x' was removed from object type 'Y'", reason: 'never released', date: '2026-12-01' },
    ];
    expect(parseAcceptedChanges({ accepted: entries })).toEqual({ accepted: entries, problems: [] });
  });

  it('reports every malformed entry and keeps the valid ones', () => {
    const valid = { path: 'Query.me', reason: 'ok', date: '2026-11-21' };
    const result = parseAcceptedChanges({
      accepted: [
        valid,
        { reason: 'no target', date: '2026-11-21' },
        { path: 'A.b', reason: ' ', date: '21/11/2026' },
        'nope',
      ],
    });
    expect(result.accepted).toEqual([valid]);
    expect(result.problems).toEqual([
      'entry 1: needs "path" or "message"',
      'entry 2: "reason" must say why the break is acceptable; "date" must be YYYY-MM-DD',
      'entry 3: must be an object',
    ]);
  });

  it('rejects a file without an accepted list', () => {
    expect(parseAcceptedChanges([]).problems).toEqual(['expected an object with an "accepted" array']);
  });
});

describe('loadAcceptedChanges', () => {
  it('treats a missing file as nothing accepted and reports invalid JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accepted-'));
    try {
      expect(loadAcceptedChanges(join(dir, 'absent.json'))).toEqual({ accepted: [], problems: [] });
      writeFileSync(join(dir, 'bad.json'), '{');
      expect(loadAcceptedChanges(join(dir, 'bad.json')).problems[0]).toMatch(/^not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the committed schema/accepted-changes.json', () => {
    expect(loadAcceptedChanges(fromRoot(schemaFiles.acceptedChanges)).problems).toEqual([]);
  });
});

describe('acceptedMatches', () => {
  const change = { path: 'Query.me', message: "Field 'me' was removed from object type 'Query'" };
  const entry = { reason: 'r', date: '2026-11-21' };
  it('matches on every field given', () => {
    expect(acceptedMatches({ ...entry, path: 'Query.me' }, change)).toBe(true);
    expect(acceptedMatches({ ...entry, message: change.message }, change)).toBe(true);
    expect(acceptedMatches({ ...entry, path: 'Query.me', message: 'other' }, change)).toBe(false);
    expect(acceptedMatches({ ...entry, path: 'Query.you' }, change)).toBe(false);
  });
});
