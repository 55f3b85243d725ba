import { buildSchema, parse, validate } from 'graphql';
import { rootFieldDirectivesRule } from './root-field-directives.rule';

const schema = buildSchema(`
  type Query { a: Int }
  type Event { id: ID }
  type Subscription { events(c: ID!): Event }
`);
const errorsOf = (query: string) => validate(schema, parse(query), [rootFieldDirectivesRule]).map((e) => e.message);

describe('rootFieldDirectivesRule', () => {
  it.each([
    ['on the field', 'subscription ($s: Boolean!) { events(c: "1") @include(if: $s) { id } }'],
    ['with a literal', 'subscription { events(c: "1") @skip(if: false) { id } }'],
    ['inside an inline fragment', 'subscription { ... on Subscription { events(c: "1") @skip(if: true) { id } } }'],
    ['on an inline fragment', 'subscription { ... @include(if: true) { events(c: "1") { id } } }'],
    [
      'inside a fragment spread',
      'subscription { ...F } fragment F on Subscription { events(c: "1") @skip(if: true) { id } }',
    ],
  ])('refuses @skip or @include at the root %s', (_label, query) => {
    expect(errorsOf(query)).toEqual(['A subscription’s root field cannot have @skip or @include']);
  });

  it('allows them below the root, and in queries', () => {
    expect(errorsOf('subscription ($s: Boolean!) { events(c: "1") { id @include(if: $s) } }')).toEqual([]);
    expect(errorsOf('query ($s: Boolean!) { a @include(if: $s) }')).toEqual([]);
  });
});
