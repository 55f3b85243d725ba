import { DateTimeScalar, LanguageCodeScalar } from '@parley/common';
import { isScalarType, Kind, type GraphQLScalarType, type GraphQLSchema } from 'graphql';

/** The subgraphs' custom scalars whose input the router checks itself. */
const CHECKED: readonly GraphQLScalarType[] = [LanguageCodeScalar, DateTimeScalar];
/**
 * Scalars whose literal may also be written as a bare name, `text(language: fr)`, as clients and
 * GraphiQL users do and as the gateway has always passed on (the subgraph reads the name as the code).
 */
const BARE_NAMES: ReadonlySet<string> = new Set([LanguageCodeScalar.name]);

/**
 * A supergraph names its custom scalars but not their rules, so the gateway's schema accepts any
 * value for them (`targetLanguage: 12`) and the subgraph refuses the operation later, which reaches
 * the client as an internal error. This gives the gateway's schema the subgraphs' own checks, so a
 * bad literal fails validation (GRAPHQL_VALIDATION_FAILED) and a bad variable fails coercion
 * (BAD_USER_INPUT) before any subgraph is called. The value itself is passed on unchanged: the
 * router forwards what the client sent, and the subgraph parses it again.
 */
export function checkCustomScalars(schema: GraphQLSchema): void {
  for (const own of CHECKED) {
    const type = schema.getType(own.name);
    if (!isScalarType(type)) continue;
    type.parseValue = (value) => {
      own.parseValue(value);
      return value;
    };
    type.parseLiteral = (ast, variables) => {
      if (ast.kind === Kind.ENUM && BARE_NAMES.has(own.name)) return ast.value;
      own.parseLiteral(ast, variables);
      return ast.kind === Kind.STRING ? ast.value : undefined;
    };
  }
}
