import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { fromRoot, schemaFiles } from '../paths';
import { contractOwnership, contractScope } from './ownership';

const contract = buildSchema(readFileSync(fromRoot(schemaFiles.contract), 'utf8'));

/** Every part of the contract as `Type` and `Type.member` coordinates. */
function contractParts(): Map<string, string[]> {
  const parts = new Map<string, string[]>();
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    const members =
      isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)
        ? Object.keys(type.getFields())
        : isEnumType(type)
          ? type.getValues().map((value) => value.name)
          : [];
    parts.set(type.name, members);
  }
  return parts;
}

describe('contractOwnership', () => {
  const owners = new Map<string, string[]>();
  for (const [owner, coordinates] of Object.entries(contractOwnership)) {
    for (const coordinate of coordinates) owners.set(coordinate, [...(owners.get(coordinate) ?? []), owner]);
  }

  it('names only parts that exist in the contract', () => {
    const parts = contractParts();
    const unknown = [...owners.keys()].filter((coordinate) => {
      const [type = '', member] = coordinate.split('.');
      return !parts.has(type) || (member !== undefined && !parts.get(type)!.includes(member));
    });
    expect(unknown).toEqual([]);
  });

  it('gives every part of the contract exactly one owner', () => {
    const problems: string[] = [];
    const roots = new Set(['Query', 'Mutation', 'Subscription']);
    for (const [type, members] of contractParts()) {
      const typeOwners = owners.get(type) ?? [];
      const memberOwners = members.map(
        (member) => [`${type}.${member}`, owners.get(`${type}.${member}`) ?? []] as const,
      );
      if (roots.has(type) && typeOwners.length > 0) problems.push(`${type}: root types are owned field by field`);
      if (typeOwners.length > 1) problems.push(`${type}: owned by ${typeOwners.join(' and ')}`);
      for (const [coordinate, owned] of memberOwners) {
        if (owned.length + typeOwners.length > 1)
          problems.push(`${coordinate}: owned by ${[...typeOwners, ...owned].join(' and ')}`);
        if (owned.length + typeOwners.length === 0) problems.push(`${coordinate}: has no owner`);
      }
      if (members.length === 0 && typeOwners.length === 0) problems.push(`${type}: has no owner`);
    }
    expect(problems).toEqual([]);
  });
});

describe('contractScope', () => {
  const ownership = { users: ['User', 'Query.me'], conversations: ['Conversation'], calls: ['Call'] };

  it('checks the composed subgraphs and defers the others', () => {
    const scope = contractScope(['users', 'conversations'], ownership);
    expect([...scope.checked.keys()]).toEqual(['users', 'conversations']);
    expect([...scope.deferred.entries()]).toEqual([['calls', ['Call']]]);
    expect(scope.unowned).toEqual([]);
  });

  it('widens as subgraphs are added, and names subgraphs that own nothing', () => {
    expect([...contractScope(['users'], ownership).checked.keys()]).toEqual(['users']);
    const scope = contractScope(['users', 'conversations', 'calls', 'search'], ownership);
    expect([...scope.checked.keys()]).toEqual(['users', 'conversations', 'calls']);
    expect(scope.deferred.size).toBe(0);
    expect(scope.unowned).toEqual(['search']);
  });
});
