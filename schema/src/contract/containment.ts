import {
  astFromValue,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Checks that `api` contains the given parts of `contract` (coordinates `Type` or `Type.member`,
 * see ownership.ts) and returns one message per problem. Containment, not equality: the API may
 * have more types, fields, arguments and enum values. Types are compared as type strings with
 * two allowances that no client following the contract can notice:
 * - an output may be non-null where the contract says nullable (the client handles null anyway);
 * - an argument or input field may be nullable where the contract says non-null (the client
 *   always sends a value anyway).
 * An extra argument or input field must not be required, or contract-following clients would fail.
 */
export function checkContainment(contract: GraphQLSchema, api: GraphQLSchema, coordinates: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const coordinate of coordinates) {
    const [typeName = '', member] = coordinate.split('.', 2);
    const expected = contract.getType(typeName);
    if (!expected) {
      problems.push(`${coordinate}: not in the contract (fix schema/src/contract/ownership.ts)`);
      continue;
    }
    const actual = api.getType(typeName);
    if (!actual) {
      problems.push(`${typeName}: ${kindOf(expected)} missing from the API schema`);
      continue;
    }
    if (kindOf(actual) !== kindOf(expected)) {
      problems.push(`${typeName}: is ${kindOf(actual)} in the API schema, the contract says ${kindOf(expected)}`);
      continue;
    }
    problems.push(...(member === undefined ? checkType(expected, actual) : checkMember(expected, actual, member)));
  }
  return problems;
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'an object type';
  if (isInterfaceType(type)) return 'an interface';
  if (isUnionType(type)) return 'a union';
  if (isEnumType(type)) return 'an enum';
  if (isInputObjectType(type)) return 'an input object type';
  return 'a scalar';
}

function membersOf(type: GraphQLNamedType): string[] {
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) return Object.keys(type.getFields());
  if (isEnumType(type)) return type.getValues().map((value) => value.name);
  return [];
}

function checkType(expected: GraphQLNamedType, actual: GraphQLNamedType): string[] {
  const problems = membersOf(expected).flatMap((member) => checkMember(expected, actual, member));
  if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const implemented = new Set(actual.getInterfaces().map((i) => i.name));
    for (const { name } of expected.getInterfaces()) {
      if (!implemented.has(name)) problems.push(`${expected.name}: does not implement ${name} in the API schema`);
    }
  }
  if (isUnionType(expected) && isUnionType(actual)) {
    const members = new Set(actual.getTypes().map((t) => t.name));
    for (const { name } of expected.getTypes()) {
      if (!members.has(name)) problems.push(`${expected.name}: union member ${name} missing from the API schema`);
    }
  }
  if (isInputObjectType(expected) && isInputObjectType(actual)) {
    problems.push(...extraRequired(`${expected.name}.`, expected.getFields(), actual.getFields(), 'input field'));
  }
  return problems;
}

/** Both types have the same kind (checked by the caller). */
function checkMember(expected: GraphQLNamedType, actual: GraphQLNamedType, member: string): string[] {
  const coordinate = `${expected.name}.${member}`;
  if (isEnumType(expected) && isEnumType(actual)) {
    if (!expected.getValue(member))
      return [`${coordinate}: not in the contract (fix schema/src/contract/ownership.ts)`];
    return actual.getValue(member) ? [] : [`${coordinate}: enum value missing from the API schema`];
  }
  if (isInputObjectType(expected) && isInputObjectType(actual)) {
    const want = expected.getFields()[member];
    if (!want) return [`${coordinate}: not in the contract (fix schema/src/contract/ownership.ts)`];
    const have = actual.getFields()[member];
    return have
      ? checkInput(coordinate, 'input field', want, have)
      : [`${coordinate}: input field missing from the API schema`];
  }
  if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const want = expected.getFields()[member];
    if (!want) return [`${coordinate}: not in the contract (fix schema/src/contract/ownership.ts)`];
    const have = actual.getFields()[member];
    return have ? checkField(coordinate, want, have) : [`${coordinate}: field missing from the API schema`];
  }
  return [`${coordinate}: ${kindOf(expected)} has no members (fix schema/src/contract/ownership.ts)`];
}

function checkField(
  coordinate: string,
  want: GraphQLField<unknown, unknown>,
  have: GraphQLField<unknown, unknown>,
): string[] {
  const problems: string[] = [];
  if (!outputFits(want.type, have.type)) {
    problems.push(
      `${coordinate}: type is ${String(have.type)} in the API schema, the contract says ${String(want.type)}`,
    );
  }
  const actualArgs = new Map(have.args.map((arg) => [arg.name, arg]));
  for (const arg of want.args) {
    const found = actualArgs.get(arg.name);
    const where = `${coordinate}(${arg.name}:)`;
    problems.push(
      ...(found ? checkInput(where, 'argument', arg, found) : [`${where}: argument missing from the API schema`]),
    );
  }
  const contractArgs = Object.fromEntries(want.args.map((arg) => [arg.name, arg]));
  const apiArgs = Object.fromEntries(have.args.map((arg) => [arg.name, arg]));
  problems.push(...extraRequired(`${coordinate}(`, contractArgs, apiArgs, 'argument', ':)'));
  return problems;
}

type InputValue = GraphQLArgument | GraphQLInputField;

function checkInput(coordinate: string, what: string, want: InputValue, have: InputValue): string[] {
  const problems: string[] = [];
  if (!inputFits(want.type, have.type)) {
    problems.push(
      `${coordinate}: ${what} type is ${String(have.type)} in the API schema, the contract says ${String(want.type)}`,
    );
  }
  // A client that omits a defaulted value relies on the default the contract states.
  if (want.defaultValue !== undefined) {
    const wanted = printDefault(want);
    const had = have.defaultValue === undefined ? 'none' : printDefault(have);
    if (wanted !== had)
      problems.push(`${coordinate}: default is ${had} in the API schema, the contract says ${wanted}`);
  }
  return problems;
}

function extraRequired(
  prefix: string,
  contract: Record<string, InputValue>,
  api: Record<string, InputValue>,
  what: string,
  suffix = '',
): string[] {
  return Object.values(api)
    .filter((value) => !(value.name in contract) && isRequired(value))
    .map(
      (value) =>
        `${prefix}${value.name}${suffix}: required ${what} of type ${String(value.type)} is not in the contract`,
    );
}

/** Same rule as graphql's isRequiredArgument / isRequiredInputField: non-null without a default. */
const isRequired = (value: InputValue): boolean => isNonNullType(value.type) && value.defaultValue === undefined;

function printDefault(value: InputValue): string {
  const ast = astFromValue(value.defaultValue, value.type);
  return ast ? print(ast) : String(value.defaultValue);
}

/** The API's output type may be non-null wherever the contract's is nullable. */
export function outputFits(contract: GraphQLOutputType, api: GraphQLOutputType): boolean {
  if (isNonNullType(contract)) return isNonNullType(api) && outputFits(contract.ofType, api.ofType);
  if (isNonNullType(api)) return outputFits(contract, api.ofType);
  if (isListType(contract) || isListType(api)) {
    return isListType(contract) && isListType(api) && outputFits(contract.ofType, api.ofType);
  }
  return contract.name === api.name;
}

/** The API's input type may be nullable wherever the contract's is non-null. */
export function inputFits(contract: GraphQLInputType, api: GraphQLInputType): boolean {
  if (isNonNullType(api)) return isNonNullType(contract) && inputFits(contract.ofType, api.ofType);
  if (isNonNullType(contract)) return inputFits(contract.ofType, api);
  if (isListType(contract) || isListType(api)) {
    return isListType(contract) && isListType(api) && inputFits(contract.ofType, api.ofType);
  }
  return contract.name === api.name;
}
