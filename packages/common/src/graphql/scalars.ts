import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from '../errors/errors';

/**
 * Whether a code is *supported* is a business rule checked by resolvers (BAD_USER_INPUT with the
 * field named); the scalar only insists on a string, so a literal and a variable fail the same way.
 */
export const LanguageCodeScalar = new GraphQLScalarType<string, string>({
  name: 'LanguageCode',
  description: 'Lower-case ISO 639-1 code of a supported language: fr, en, es, de, pt, zh, ja, ar, ...',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw badInput('LanguageCode must be a string');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput('LanguageCode must be a string');
    return ast.value;
  },
});

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 date-time string, UTC, e.g. 2026-11-21T10:00:00.000Z',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be an ISO-8601 string');
    return parseDate(ast.value);
  },
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO-8601 string');
  return date;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}
