import { buildSchema, parse, validate, specifiedRules } from 'graphql';
import { aliasLimitRule } from './alias-limit.rule';
import { depthLimitRule } from './depth-limit.rule';
import { exceedsTokenLimit } from './token-limit';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node }
`);

const errorsOf = (query: string, rules: ReturnType<typeof depthLimitRule>[]) =>
  validate(schema, parse(query), [...specifiedRules, ...rules]).map((error) => error.message);

describe('depth limit', () => {
  it('accepts an operation at the limit and refuses one beyond it', () => {
    expect(errorsOf('{ node { child { id } } }', [depthLimitRule(3)])).toEqual([]);
    expect(errorsOf('{ node { child { child { id } } } }', [depthLimitRule(3)])).toEqual([
      'Operation is 4 levels deep; the limit is 3',
    ]);
  });

  it('follows fragments and inline fragments', () => {
    const query = `
      { node { ...A } }
      fragment A on Node { child { ... on Node { child { id } } } }
    `;
    expect(errorsOf(query, [depthLimitRule(3)])).toHaveLength(1);
    expect(errorsOf(query, [depthLimitRule(4)])).toEqual([]);
  });

  it('does not count introspection', () => {
    const query = '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }';
    expect(errorsOf(query, [depthLimitRule(2)])).toEqual([]);
  });
});

describe('alias limit', () => {
  it('refuses documents with too many aliases, once', () => {
    const aliases = Array.from({ length: 4 }, (_, i) => `a${i}: node { id }`).join(' ');
    expect(errorsOf(`{ ${aliases} }`, [aliasLimitRule(4)])).toEqual([]);
    expect(errorsOf(`{ ${aliases} extra: node { id } more: node { id } }`, [aliasLimitRule(4)])).toEqual([
      'Document has more than 4 aliases',
    ]);
  });
});

describe('token limit', () => {
  it('counts tokens without parsing', () => {
    expect(exceedsTokenLimit('{ node { id } }', 6)).toBe(false);
    expect(exceedsTokenLimit('{ node { id } }', 5)).toBe(true);
  });

  it('counts one-character tokens at and past a limit equal to the length', () => {
    expect(exceedsTokenLimit('{a{b}}', 6)).toBe(false);
    expect(exceedsTokenLimit('{a{b}}', 5)).toBe(true);
  });

  it('leaves lexing errors to the parser', () => {
    expect(exceedsTokenLimit('{ "unterminated', 1000)).toBe(false);
  });
});
