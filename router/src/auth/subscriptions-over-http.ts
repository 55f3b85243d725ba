import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { REQUEST_ERROR_CODE } from '@parley/common';
import { GraphQLError } from 'graphql';
import type { RouterContext } from '../context';

/** One listener for every request: it keeps no per-request state. */
const refuseSubscriptions: GraphQLRequestListener<RouterContext> = {
  async didResolveOperation({ operation }) {
    if (operation?.operation !== 'subscription') return;
    throw new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) at this URL', {
      extensions: { code: REQUEST_ERROR_CODE, http: { status: 400 } },
    });
  },
};

/**
 * Subscriptions run over WebSocket (graphql-transport-ws) on the same /graphql URL. Over HTTP the
 * gateway could only fail inside its executor; this says so plainly, before any subgraph is called.
 */
export const subscriptionsOverHttpPlugin: ApolloServerPlugin<RouterContext> = {
  async requestDidStart() {
    return refuseSubscriptions;
  },
};
