import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ROUTER_EXTENSIONS_KEY, SignatureHeader, signRequest } from '@parley/common';
import type { RouterContext } from '../context';

type FetchInit = { headers?: unknown; body?: unknown; [key: string]: unknown };

/**
 * Sends the caller's identity to a subgraph and signs it together with the exact body bytes.
 * Only the headers set here go out: anything the client sent (including identity headers it
 * made up) is never forwarded.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(url: string, signingSecret: string) {
    super({
      url,
      fetcher: (async (input: string, init: FetchInit = {}) => {
        const headers = new Headers(init.headers as HeadersInit);
        const body = typeof init.body === 'string' ? init.body : '';
        const identity = {
          userId: headers.get(SignatureHeader.userId) ?? '',
          clientIp: headers.get(SignatureHeader.clientIp) ?? '',
        };
        for (const [name, value] of Object.entries(signRequest(signingSecret, identity, body))) {
          headers.set(name, value);
        }
        return fetch(input, { ...(init as RequestInit), headers, body });
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
