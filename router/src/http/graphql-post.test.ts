import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouterContext } from '../context';
import { graphqlPostHandler } from './graphql-post';

describe('graphqlPostHandler', () => {
  let server: Server;
  let url: string;
  let seen: { request: HTTPGraphQLRequest; context: RouterContext } | undefined;

  beforeAll(async () => {
    const handle = graphqlPostHandler({
      apollo: {
        async executeHTTPGraphQLRequest({ httpGraphQLRequest, context }) {
          seen = { request: httpGraphQLRequest, context: await context() };
          return {
            status: 200,
            headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
            body: { kind: 'complete', string: '{"data":{"ok":true}}' },
          };
        },
      },
      maxBodyBytes: 2048,
      maxTokens: 100,
      context: async (req: IncomingMessage) => ({ userId: req.headers.authorization ?? '', clientIp: 'ip' }),
    });
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  beforeEach(() => {
    seen = undefined;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(url, { method: 'POST', headers, body });

  it('hands Apollo the parsed body and the context built from the request', async () => {
    const response = await post('{"query":"{ ok }","variables":{"a":1}}', {
      'content-type': 'application/json',
      authorization: 'u-1',
    });
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ data: { ok: true } });
    expect(seen?.request.body).toEqual({ query: '{ ok }', variables: { a: 1 } });
    expect(seen?.request.method).toBe('POST');
    expect(seen?.context).toEqual({ userId: 'u-1', clientIp: 'ip' });
  });

  it('hands Apollo no body for a content type it does not read', async () => {
    await post('{"query":"{ ok }"}', { 'content-type': 'text/plain' });
    expect(seen?.request.body).toBeUndefined();
  });

  it('refuses a document over the token limit before Apollo sees it', async () => {
    const fields = Array.from({ length: 120 }, () => 'a').join(' ');
    const response = await post(JSON.stringify({ query: `{ ${fields} }` }));
    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toEqual({
      errors: [{ message: 'Document has more than 100 tokens', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
    });
    expect(seen).toBeUndefined();
  });

  it('refuses a body over the limit with 413 and malformed JSON with 400, before Apollo', async () => {
    const tooLarge = await post(JSON.stringify({ query: '{ ok }', pad: 'x'.repeat(3000) }));
    expect(tooLarge.status).toBe(413);
    await expect(tooLarge.json()).resolves.toEqual({
      errors: [{ message: 'Request body is larger than 2048 bytes', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    await expect(malformed.json()).resolves.toEqual({
      errors: [{ message: 'Malformed request', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(seen).toBeUndefined();
  });
});
