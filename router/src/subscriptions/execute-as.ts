import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { RouterContext } from '../context';

/**
 * Runs an operation of the router's own through the graph as `identity`, exactly as a client's
 * query would go (authorization included): the subscription layer's reads of settings, members
 * and last seq. undefined for an incremental (non-single) answer, which these never ask for.
 */
export async function executeAs<TData>(
  apollo: ApolloServer<RouterContext>,
  identity: Pick<RouterContext, 'userId' | 'clientIp'>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<FormattedExecutionResult<TData> | undefined> {
  const response = await apollo.executeOperation<TData>(
    { query, variables },
    { contextValue: { userId: identity.userId, clientIp: identity.clientIp } },
  );
  return response.body.kind === 'single' ? response.body.singleResult : undefined;
}
