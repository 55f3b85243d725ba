import { buildSchema } from 'graphql';
import type { AcceptedChange } from './accepted-changes';
import { findBreakingChanges } from './breaking-changes';

const previous = `
  enum Role { OWNER MEMBER }
  type User { id: ID! name: String role: Role }
  type Query { me: User user(id: ID!): User }
`;
const current = buildSchema(`
  enum Role { OWNER ADMIN MEMBER }
  type User { id: ID! name: String! role: Role }
  type Query { user(id: ID!, withDeleted: Boolean!): User }
`);

const accept = (entry: Partial<AcceptedChange>): AcceptedChange => ({
  reason: 'no client uses it',
  date: '2026-11-21',
  ...entry,
});

describe('findBreakingChanges', () => {
  it('reports removals and new required arguments, and ignores safe changes', async () => {
    const report = await findBreakingChanges(previous, current, []);
    expect(report.unaccepted.map((change) => change.path)).toEqual(['Query.me', 'Query.user.withDeleted']);
    expect(report.unaccepted[0]!.message).toBe("Field 'me' was removed from object type 'Query'");
    // name: String → String! breaks no client; a new enum value may surprise exhaustive switches.
    expect(report.dangerous.map((change) => change.path)).toEqual(['Role.ADMIN']);
  });

  it('finds nothing when the schema is unchanged', async () => {
    const report = await findBreakingChanges(previous, buildSchema(previous), [accept({ path: 'Query.me' })]);
    expect(report.unaccepted).toEqual([]);
    expect(report.unused).toEqual([accept({ path: 'Query.me' })]);
  });

  it('lets an accepted entry waive a change by path or by message', async () => {
    const byPath = accept({ path: 'Query.me' });
    const byMessage = accept({ message: "Argument 'withDeleted: Boolean!' added to field 'Query.user'" });
    const report = await findBreakingChanges(previous, current, [byPath, byMessage]);
    expect(report.unaccepted).toEqual([]);
    expect(report.accepted.map(({ entry }) => entry)).toEqual([byPath, byMessage]);
    expect(report.unused).toEqual([]);
  });

  it('requires both path and message to match when both are given, and lists unused entries', async () => {
    const stale = accept({ path: 'Query.me', message: 'something else' });
    const report = await findBreakingChanges(previous, current, [stale]);
    expect(report.unaccepted.map((change) => change.path)).toEqual(['Query.me', 'Query.user.withDeleted']);
    expect(report.unused).toEqual([stale]);
  });
});
