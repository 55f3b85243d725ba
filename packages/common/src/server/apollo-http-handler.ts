import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseUrl } from 'node:url';
import { endWithLength } from './graphql-error-response';

/** The one method of ApolloServer this adapter calls (a test can stand in for it). */
export type ApolloHttpExecutor<TContext extends BaseContext> = Pick<
  ApolloServer<TContext>,
  'executeHTTPGraphQLRequest'
>;

/**
 * A `POST <path>` request-line test for a server's request listener, so that GraphQL requests skip
 * Express (its router, body-parser, raw-body, res.send) and everything else still goes through it.
 * Only the exact path, with or without a query string, is matched: a request the test leaves to
 * Express (another case, a trailing slash) is still served there, as before.
 */
export function isPostTo(path: string): (req: IncomingMessage) => boolean {
  const withQuery = `${path}?`;
  return (req) => req.method === 'POST' && (req.url === path || req.url?.startsWith(withQuery) === true);
}

/**
 * Serves one HTTP request through Apollo on plain node:http, as @as-integrations/express5 does on
 * Express, with a body the caller has already read and parsed (or `undefined`): the same
 * HeaderMap (names lower-case, repeated headers joined with ', '), the same `search`, Apollo's
 * status and headers written as given, and a chunked body (incremental delivery) streamed chunk
 * by chunk. Unlike Express's res.send it adds no ETag: nothing revalidates a POST answer.
 */
export async function serveApolloRequest<TContext extends BaseContext>(
  apollo: ApolloHttpExecutor<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<TContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? '').toUpperCase(), headers, search: searchOf(req.url ?? ''), body },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status || 200;
  if (response.body.kind === 'complete') {
    endWithLength(res, response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** The query string as url.parse gives it (what the Express integration passes), '' when none. */
function searchOf(url: string): string {
  if (!url.includes('?')) return '';
  return parseUrl(url).search ?? '';
}
