import { findStaleFiles } from './staleness';

const expected = [
  { path: 'schema/supergraph.graphql', content: 'type Query {\n  a: Int\n}\n' },
  { path: 'schema/api-schema.graphql', content: 'type Query {\n  a: Int\n}\n' },
];

describe('findStaleFiles', () => {
  it('passes when every file is byte-identical', () => {
    const files = new Map(expected.map((file) => [file.path, file.content]));
    expect(findStaleFiles(expected, (path) => files.get(path))).toEqual([]);
  });

  it('reports stale and missing files with the command that fixes them', () => {
    const files = new Map([['schema/supergraph.graphql', 'type Query {\n  b: Int\n}\n']]);
    expect(findStaleFiles(expected, (path) => files.get(path))).toEqual([
      'schema/supergraph.graphql is stale (first difference at line 2): run `pnpm schema:compose` and commit the result',
      'schema/api-schema.graphql is missing: run `pnpm schema:compose` and commit it',
    ]);
  });

  it('notices a difference in whitespace alone', () => {
    const read = (path: string) =>
      path === 'schema/supergraph.graphql' ? 'type Query {\n  a: Int\n}' : expected[1]!.content;
    expect(findStaleFiles(expected, read)).toEqual([
      'schema/supergraph.graphql is stale (first difference at line 4): run `pnpm schema:compose` and commit the result',
    ]);
  });
});
