import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GRAPHQL_VALIDATION_FAILED } from '@parley/common';
import { GraphQLError } from 'graphql';
import type { RouterContext } from '../context';

/** GraphQL's own words for a request whose operation cannot be picked (GetOperation in the spec). */
export function unresolvedOperationMessage(operationName: string | null | undefined): string {
  return operationName
    ? `Unknown operation named "${operationName}".`
    : 'Must provide operation name if query contains multiple operations.';
}

/** One listener for every request: it keeps no per-request state. */
const requireOperation: GraphQLRequestListener<RouterContext> = {
  async didResolveOperation({ operation, request }) {
    if (operation) return;
    throw new GraphQLError(unresolvedOperationMessage(request.operationName), {
      extensions: { code: GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
    });
  },
};

/**
 * A document with several operations and no `operationName`, or an `operationName` it does not
 * define, is a request error (400), as the GraphQL spec's GetOperation says. Left to the gateway,
 * it fails inside the executor and reaches the client as a 500 internal error.
 */
export const operationResolutionPlugin: ApolloServerPlugin<RouterContext> = {
  async requestDidStart() {
    return requireOperation;
  },
};
