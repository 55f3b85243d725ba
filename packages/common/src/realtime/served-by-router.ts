import type { PubSub } from 'type-graphql';
import { BadUserInputError } from '../errors/errors';

/*
 * Subscription fields of a subgraph are executed by the router, never subscribed to: the router
 * holds the WebSocket, and for each step (authorize, then each event) it POSTs a signed request
 * whose operation is a `subscription`. graphql-js `execute` runs such an operation like a query,
 * calling the field's `resolve` (the decorated method) with the step in the router extensions, and
 * never its `subscribe`. type-graphql still wants both, hence these two stand-ins.
 */

/** The `subscribe` of every subscription field: `@Subscription(() => T, { subscribe: servedByRouter })`. */
export function servedByRouter(): never {
  throw new BadUserInputError('Subscriptions are served by the router over WebSocket');
}

/**
 * type-graphql refuses to build a schema with subscription fields without a PubSub, even when
 * every field brings its own `subscribe`; buildFederatedSchema passes this one, never used.
 */
export const routerExecutedPubSub: PubSub = {
  publish() {
    throw new Error('Subgraphs publish realtime events with RealtimePublisher, not a type-graphql PubSub');
  },
  subscribe: servedByRouter,
};
