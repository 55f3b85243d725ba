import { REQUEST_ERROR_CODE, sendGraphqlError, serveApolloRequest, type ApolloHttpExecutor } from '@parley/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouterContext } from '../context';
import { tokenLimitRefusal } from '../limits/token-limit';
import { readJsonBody } from './json-body';

export interface GraphqlPostOptions {
  apollo: ApolloHttpExecutor<RouterContext>;
  maxBodyBytes: number;
  maxTokens: number;
  context: (req: IncomingMessage) => Promise<RouterContext>;
}

/**
 * POST /graphql without Express, answering as its chain did (express.json(), the token limit,
 * expressMiddleware, the GraphQL-shaped error handler): for the requests readsJsonBodyLikeExpress
 * accepts, which are all that browsers and our clients send.
 */
export function graphqlPostHandler(options: GraphqlPostOptions) {
  const { apollo, maxBodyBytes, maxTokens, context } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok) {
      sendGraphqlError(res, body.status, body.message, REQUEST_ERROR_CODE);
      return;
    }
    const refusal = tokenLimitRefusal(body.value, maxTokens);
    if (refusal) {
      sendGraphqlError(res, refusal.status, refusal.message, 'GRAPHQL_PARSE_FAILED');
      return;
    }
    await serveApolloRequest(apollo, req, res, body.value, () => context(req));
  };
}
