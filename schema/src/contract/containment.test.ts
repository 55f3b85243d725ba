import { buildSchema } from 'graphql';
import { checkContainment } from './containment';

const contract = buildSchema(`
  enum Role { OWNER MEMBER }
  type User { id: ID! name: String role: Role! friends(first: Int = 10): [User!]! }
  input Filter { name: String! role: Role }
  type Query { user(id: ID!): User users(filter: Filter): [User!]! }
`);

/** An API schema equal to the contract except for `replace` swaps in its SDL. */
function api(...replace: Array<[string, string]>) {
  let sdl = `
    enum Role { OWNER MEMBER }
    type User { id: ID! name: String role: Role! friends(first: Int = 10): [User!]! }
    input Filter { name: String! role: Role }
    type Query { user(id: ID!): User users(filter: Filter): [User!]! }
  `;
  for (const [from, to] of replace) {
    if (!sdl.includes(from)) throw new Error(`fixture has no ${from}`);
    sdl = sdl.replace(from, to);
  }
  return buildSchema(sdl);
}

const everything = ['Role', 'User', 'Filter', 'Query.user', 'Query.users'];

describe('checkContainment', () => {
  it('accepts an identical schema', () => {
    expect(checkContainment(contract, api(), everything)).toEqual([]);
  });

  it('accepts a superset: extra types, fields, enum values and optional arguments', () => {
    const wider = api(
      ['enum Role { OWNER MEMBER }', 'enum Role { OWNER ADMIN MEMBER } type Extra { x: Int }'],
      ['role: Role!', 'role: Role! email: String'],
      ['user(id: ID!)', 'user(id: ID!, withDeleted: Boolean)'],
    );
    expect(checkContainment(contract, wider, everything)).toEqual([]);
  });

  it('detects a missing field', () => {
    expect(checkContainment(contract, api(['role: Role!', '']), ['User'])).toEqual([
      'User.role: field missing from the API schema',
    ]);
  });

  it('detects a missing root field and a missing type', () => {
    const problems = checkContainment(contract, buildSchema('type Query { users: [Int] }'), ['Query.user', 'User']);
    expect(problems).toEqual([
      'Query.user: field missing from the API schema',
      'User: an object type missing from the API schema',
    ]);
  });

  it('detects a wrong field type', () => {
    expect(checkContainment(contract, api(['id: ID!', 'id: String!']), ['User'])).toEqual([
      'User.id: type is String! in the API schema, the contract says ID!',
    ]);
  });

  it('detects a missing enum value', () => {
    expect(checkContainment(contract, api(['enum Role { OWNER MEMBER }', 'enum Role { OWNER }']), ['Role'])).toEqual([
      'Role.MEMBER: enum value missing from the API schema',
    ]);
  });

  it('detects a type of another kind', () => {
    expect(checkContainment(contract, api(['enum Role { OWNER MEMBER }', 'scalar Role']), ['Role'])).toEqual([
      'Role: is a scalar in the API schema, the contract says an enum',
    ]);
  });

  it('lets an output be non-null where the contract says nullable, never the reverse', () => {
    expect(checkContainment(contract, api(['name: String', 'name: String!']), ['User'])).toEqual([]);
    expect(checkContainment(contract, api(['id: ID!', 'id: ID']), ['User'])).toEqual([
      'User.id: type is ID in the API schema, the contract says ID!',
    ]);
    expect(checkContainment(contract, api(['[User!]!', '[User]!']), ['User'])).toEqual([
      'User.friends: type is [User]! in the API schema, the contract says [User!]!',
    ]);
  });

  it('lets an input be nullable where the contract says non-null, never the reverse', () => {
    expect(checkContainment(contract, api(['user(id: ID!)', 'user(id: ID)']), ['Query.user'])).toEqual([]);
    expect(checkContainment(contract, api(['name: String!', 'name: String']), ['Filter'])).toEqual([]);
    expect(checkContainment(contract, api(['role: Role }', 'role: Role! }']), ['Filter'])).toEqual([
      'Filter.role: input field type is Role! in the API schema, the contract says Role',
    ]);
  });

  it('detects missing and mistyped arguments, and new required ones', () => {
    expect(checkContainment(contract, api(['user(id: ID!)', 'user(key: ID!)']), ['Query.user'])).toEqual([
      'Query.user(id:): argument missing from the API schema',
      'Query.user(key:): required argument of type ID! is not in the contract',
    ]);
    expect(checkContainment(contract, api(['user(id: ID!)', 'user(id: Int!)']), ['Query.user'])).toEqual([
      'Query.user(id:): argument type is Int! in the API schema, the contract says ID!',
    ]);
  });

  it('detects a new required input field', () => {
    expect(checkContainment(contract, api(['role: Role }', 'role: Role tenant: ID! }']), ['Filter'])).toEqual([
      'Filter.tenant: required input field of type ID! is not in the contract',
    ]);
  });

  it('detects a changed default value', () => {
    expect(checkContainment(contract, api(['Int = 10', 'Int = 20']), ['User.friends'])).toEqual([
      'User.friends(first:): default is 20 in the API schema, the contract says 10',
    ]);
  });

  it('checks only the coordinates it is given', () => {
    const broken = api(['role: Role!', ''], ['enum Role { OWNER MEMBER }', 'enum Role { OWNER }']);
    expect(checkContainment(contract, broken, ['User.id', 'Role.OWNER', 'Query.user'])).toEqual([]);
    expect(checkContainment(contract, broken, ['Role.MEMBER'])).toEqual([
      'Role.MEMBER: enum value missing from the API schema',
    ]);
  });

  it('reports coordinates that are not in the contract', () => {
    expect(checkContainment(contract, api(), ['Nope', 'User.nope'])).toEqual([
      'Nope: not in the contract (fix schema/src/contract/ownership.ts)',
      'User.nope: not in the contract (fix schema/src/contract/ownership.ts)',
    ]);
  });
});
