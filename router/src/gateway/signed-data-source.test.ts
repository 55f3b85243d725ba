import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { verifyRequest } from '@parley/common';
import type { RouterContext } from '../context';
import { SignedDataSource } from './signed-data-source';

const SECRET = 'test-signing-secret';

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('SignedDataSource', () => {
  let server: Server;
  let url: string;
  let seen: Seen[];
  /** What the next request is answered with. */
  let answer: { status: number; headers: Record<string, string>; body: string };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  beforeEach(() => {
    seen = [];
    answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":{"ok":true}}' };
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const fetchOptions = (
    context: RouterContext,
    extra: { headers?: Map<string, string>; restrict?: (hint: unknown) => void } = {},
  ): GraphQLDataSourceProcessOptions<RouterContext> =>
    ({
      kind: 'incoming operation',
      request: {
        query: 'query Q($id: ID!) { node(id: $id) { id } }',
        variables: { id: '1' },
        operationName: 'Q',
        http: extra.headers ? { method: 'POST', url: '', headers: extra.headers } : undefined,
      },
      context,
      incomingRequestContext: {
        overallCachePolicy: extra.restrict ? { restrict: extra.restrict } : undefined,
      },
    }) as never;

  it('signs the caller and the exact body, and sends the router extensions in the body', async () => {
    const source = new SignedDataSource(url, SECRET);
    const parley = { viewerLanguage: { preferredLanguage: 'fr', autoTranslateEnabled: true } };
    const response = await source.process(fetchOptions({ userId: 'u-1', clientIp: '10.0.0.7', parley }));

    expect(response.data).toEqual({ ok: true });
    const [request] = seen;
    const check = verifyRequest(SECRET, request!.headers, request!.body);
    expect(check).toEqual({ ok: true, identity: { userId: 'u-1', clientIp: '10.0.0.7' } });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      query: 'query Q($id: ID!) { node(id: $id) { id } }',
      variables: { id: '1' },
      operationName: 'Q',
      extensions: { parley },
    });
  });

  it('forwards the headers the gateway set for the fetch, never identity headers of its own', async () => {
    const source = new SignedDataSource(url, SECRET);
    // Iterated as the gateway's node-fetch Headers are: [name, value] pairs.
    const headers = new Map([
      ['Apollo-Federation-Include-Trace', 'ftv1'],
      ['X-Parley-User-Id', 'forged'],
    ]);
    await source.process(fetchOptions({ userId: '', clientIp: '' }, { headers }));

    const [request] = seen;
    expect(request!.headers['apollo-federation-include-trace']).toBe('ftv1');
    expect(request!.headers['x-parley-user-id']).toBe('');
    expect(verifyRequest(SECRET, request!.headers, request!.body).ok).toBe(true);
  });

  it('turns an error status into the GraphQLError RemoteGraphQLDataSource makes of it', async () => {
    const source = new SignedDataSource(url, SECRET);
    answer = { status: 401, headers: { 'content-type': 'application/json' }, body: '{"errors":[{"message":"no"}]}' };
    await expect(source.process(fetchOptions({ userId: 'u-1', clientIp: '' }))).rejects.toMatchObject({
      message: '401: Unauthorized',
      extensions: {
        code: 'UNAUTHENTICATED',
        response: { url, status: 401, statusText: 'Unauthorized', body: { errors: [{ message: 'no' }] } },
      },
    });
  });

  it('refuses a body that is not a JSON object', async () => {
    const source = new SignedDataSource(url, SECRET);
    answer = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' };
    await expect(source.process(fetchOptions({ userId: 'u-1', clientIp: '' }))).rejects.toThrow(
      'Expected JSON response body, but received: hello',
    );
  });

  it("restricts the operation's cache policy by the subgraph's Cache-Control", async () => {
    const source = new SignedDataSource(url, SECRET);
    const hints: unknown[] = [];
    answer.headers['cache-control'] = 'private, max-age=30';
    await source.process(fetchOptions({ userId: 'u-1', clientIp: '' }, { restrict: (hint) => hints.push(hint) }));
    answer.headers['cache-control'] = 'no-store';
    await source.process(fetchOptions({ userId: 'u-1', clientIp: '' }, { restrict: (hint) => hints.push(hint) }));
    expect(hints).toEqual([{ maxAge: 30, scope: 'PRIVATE' }, { maxAge: 0 }]);
  });
});
