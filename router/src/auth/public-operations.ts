import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { UnauthenticatedError } from '@parley/common';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RouterContext } from '../context';

/** The only root fields an anonymous caller may select (plus introspection in development). */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'signUp',
  'signIn',
  'supportedLanguages',
  '__typename',
]);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** Root field names an operation selects, following fragment spreads and inline fragments. */
export function rootFieldNames(document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return names;
}

/**
 * Refuses, before any subgraph is called, an anonymous operation that touches anything but the
 * public fields, naming the token's problem when the caller sent a bad one. Subgraph resolvers
 * check again; this keeps the answer uniform and cheap.
 */
export function publicOperationsPlugin(allowIntrospection: boolean): ApolloServerPlugin<RouterContext> {
  // One listener for every request: it keeps no per-request state.
  const listener: GraphQLRequestListener<RouterContext> = {
    async didResolveOperation({ contextValue, document, operation }) {
      if (contextValue.userId || !operation) return;
      for (const name of rootFieldNames(document, operation)) {
        if (PUBLIC_ROOT_FIELDS.has(name)) continue;
        if (allowIntrospection && INTROSPECTION_FIELDS.has(name)) continue;
        // Without a status Apollo answers an error thrown here with 500.
        throw new UnauthenticatedError(contextValue.tokenProblem ?? `Sign in to use ${name}`, {
          http: { status: 401 },
        });
      }
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
