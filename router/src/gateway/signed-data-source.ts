import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ROUTER_EXTENSIONS_KEY, signRequest } from '@parley/common';
import type { RouterContext } from '../context';
import { keepAlivePost } from './keep-alive-post';

type GatewayResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type FetcherResponse = Parameters<RemoteGraphQLDataSource['parseBody']>[0];
type CacheHint = { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' };

/**
 * Sends the caller's identity to a subgraph and signs it together with the exact body bytes.
 * Only the headers set here go out: anything the client sent (including identity headers it
 * made up) is never forwarded.
 *
 * `process` does what RemoteGraphQLDataSource's does for a data source like this one (no APQ, no
 * didReceiveResponse), on plain objects: the base class copies the headers into node-fetch
 * Headers, then into an object, and builds a node-fetch Request (parsing the URL) that nothing
 * reads, for every subgraph call. Its answers and errors are the base class's: errorFromResponse
 * for a non-2xx status, parseBody, the same check that the body is an object, and the subgraph's
 * Cache-Control restricting the operation's cache policy.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    url: string,
    private readonly signingSecret: string,
    private readonly timeoutMs = 30_000,
  ) {
    super({ url });
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayResponse> {
    const { request, context } = options;
    // Headers the gateway set for this fetch (none unless federated tracing asks for a trace).
    const headers: Record<string, string> = {};
    for (const [name, value] of request.http?.headers ?? []) {
      const key = name.toLowerCase();
      headers[key] = Object.hasOwn(headers, key) ? `${headers[key]}, ${value}` : value;
    }
    headers['content-type'] = 'application/json';
    if (context?.parley) request.extensions = { ...request.extensions, [ROUTER_EXTENSIONS_KEY]: context.parley };
    if (!request.query) throw new Error('Missing query');
    const { http: _http, query, ...rest } = request;
    const body = JSON.stringify({ query, ...rest });
    const identity = { userId: context?.userId ?? '', clientIp: context?.clientIp ?? '' };
    Object.assign(headers, signRequest(this.signingSecret, identity, body));

    // The part of a fetch Response these read (as the base class's fetcher returned it before).
    const response = (await keepAlivePost(this.url, headers, body, this.timeoutMs)) as FetcherResponse;
    if (!response.ok) throw await this.errorFromResponse(response);
    const parsed = await this.parseBody(response);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    }
    const policy =
      'incomingRequestContext' in options && this.honorSubgraphCacheControlHeader
        ? options.incomingRequestContext.overallCachePolicy
        : undefined;
    if (policy && 'restrict' in policy) policy.restrict(cacheHint(response.headers.get('cache-control')));
    return { ...parsed, http: response } as GatewayResponse;
  }
}

/** The hint RemoteGraphQLDataSource derives from a subgraph's Cache-Control header. */
function cacheHint(header: string | null): CacheHint {
  const directives: Record<string, string | true> = {};
  if (header) {
    for (const part of header.trim().split(/\s*,\s*/)) {
      const [name = '', value] = part.split(/\s*=\s*/, 2);
      directives[name] = value === undefined ? true : value.replace(/^"|"$/g, '');
    }
  }
  const hint: CacheHint = { maxAge: 0 };
  const maxAge = directives['max-age'];
  if (typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge)) hint.maxAge = Number(maxAge);
  if (directives.private === true) hint.scope = 'PRIVATE';
  if (directives.public === true) hint.scope = 'PUBLIC';
  return hint;
}
