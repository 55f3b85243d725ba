import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ROUTER_EXTENSIONS_KEY, SignatureHeader, signRequest } from '@parley/common';
import type { RouterContext } from '../context';
import { keepAlivePost } from './keep-alive-post';

type FetchInit = { headers?: unknown; body?: unknown; [key: string]: unknown };

/**
 * Sends the caller's identity to a subgraph and signs it together with the exact body bytes.
 * Only the headers set here go out: anything the client sent (including identity headers it
 * made up) is never forwarded.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(url: string, signingSecret: string, timeoutMs = 30_000) {
    super({
      url,
      fetcher: (async (input: string, init: FetchInit = {}) => {
        const headers = Object.fromEntries(
          Object.entries((init.headers ?? {}) as Record<string, string>).map(([name, value]) => [
            name.toLowerCase(),
            value,
          ]),
        );
        const body = typeof init.body === 'string' ? init.body : '';
        const identity = {
          userId: headers[SignatureHeader.userId] ?? '',
          clientIp: headers[SignatureHeader.clientIp] ?? '',
        };
        Object.assign(headers, signRequest(signingSecret, identity, body));
        return keepAlivePost(input, headers, body, timeoutMs);
      }) as never,
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(SignatureHeader.userId, context?.userId ?? '');
    headers.set(SignatureHeader.clientIp, context?.clientIp ?? '');
    if (context?.parley) request.extensions = { ...request.extensions, [ROUTER_EXTENSIONS_KEY]: context.parley };
  }
}
