import { ApolloServer, HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { isPostTo, serveApolloRequest, type ApolloHttpExecutor } from './apollo-http-handler';
import { sendGraphqlError } from './graphql-error-response';
import { readRequestBody } from './request-body';

interface Context {
  viewer: string;
}

const typeDefs = `type Query { hello(name: String): String, viewer: String, broken: String }`;
const resolvers = {
  Query: {
    hello: (_: unknown, { name }: { name?: string }) => `hello ${name ?? 'world'}`,
    viewer: (_: unknown, __: unknown, context: Context) => context.viewer,
    broken: () => {
      throw new Error('resolver failed');
    },
  },
};

/** The context both servers build: a 401 for `authorization: bad`, as the router's does for a bad token. */
async function contextOf(req: IncomingMessage): Promise<Context> {
  if (req.headers.authorization === 'bad') {
    throw new GraphQLError('Invalid token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  return { viewer: req.headers.authorization ?? 'anonymous' };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Headers that differ by nature (Date, Keep-Alive) or by design (Express's ETag, X-Powered-By). */
const INCOMPARABLE = new Set(['date', 'etag', 'x-powered-by', 'keep-alive', 'connection']);

async function answer(url: string, init: RequestInit) {
  const response = await fetch(url, init);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!INCOMPARABLE.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

describe('serveApolloRequest answers as @as-integrations/express5 does', () => {
  let apollo: ApolloServer<Context>;
  let viaExpress: Server;
  let direct: Server;
  let expressUrl: string;
  let directUrl: string;

  beforeAll(async () => {
    apollo = new ApolloServer<Context>({ typeDefs, resolvers, includeStacktraceInErrorResponses: false });
    await apollo.start();

    const app = express();
    app.disable('x-powered-by');
    app.post('/graphql', express.json(), expressMiddleware(apollo, { context: ({ req }) => contextOf(req) }));
    viaExpress = createServer(app);

    direct = createServer((req, res) => {
      void readRequestBody(req, 100_000).then(async (body) => {
        if (!body.ok) return sendGraphqlError(res, body.status, body.message, 'BAD_REQUEST');
        const parsed: unknown = body.bytes.length ? JSON.parse(body.bytes.toString('utf8')) : {};
        await serveApolloRequest(apollo, req, res, parsed, () => contextOf(req));
      });
    });
    expressUrl = `${await listen(viaExpress)}/graphql`;
    directUrl = `${await listen(direct)}/graphql`;
  });

  afterAll(async () => {
    await Promise.all([close(viaExpress), close(direct)]);
    await apollo.stop();
  });

  const json = { 'content-type': 'application/json' };
  const cases: Array<[string, RequestInit, string?]> = [
    ['a query', { headers: json, body: JSON.stringify({ query: '{ hello }' }) }],
    [
      'variables and an operation name',
      {
        headers: json,
        body: JSON.stringify({ query: 'query Q($n: String) { hello(name: $n) }', variables: { n: 'ada' } }),
      },
    ],
    ['the context', { headers: { ...json, authorization: 'ada' }, body: JSON.stringify({ query: '{ viewer }' }) }],
    ['a context that fails with 401', { headers: { ...json, authorization: 'bad' }, body: '{"query":"{ viewer }"}' }],
    ['a resolver error', { headers: json, body: JSON.stringify({ query: '{ hello broken }' }) }],
    ['a syntax error', { headers: json, body: JSON.stringify({ query: '{ hello' }) }],
    ['a validation error', { headers: json, body: JSON.stringify({ query: '{ nope }' }) }],
    ['no query', { headers: json, body: JSON.stringify({ variables: {} }) }],
    [
      'graphql-response+json accepted',
      { headers: { ...json, accept: 'application/graphql-response+json' }, body: '{"query":"{ nope }"}' },
    ],
    ['an accept it cannot meet', { headers: { ...json, accept: 'text/csv' }, body: '{"query":"{ hello }"}' }],
    ['a query string', { headers: json, body: '{"query":"{ hello }"}' }, '?query=%7B%20viewer%20%7D&x=1'],
  ];

  it.each(cases)('%s', async (_label, init, search = '') => {
    const request = { method: 'POST', ...init };
    const [expected, actual] = await Promise.all([
      answer(expressUrl + search, request),
      answer(directUrl + search, request),
    ]);
    expect(actual).toEqual(expected);
  });

  it('answers an HTTP/1.0 keep-alive request with a Content-Length, and keeps the connection, as Express does', async () => {
    const body = '{"query":"{ hello }"}';
    const request =
      `POST /graphql HTTP/1.0\r\nhost: x\r\nconnection: keep-alive\r\ncontent-type: application/json\r\n` +
      `content-length: ${body.length}\r\n\r\n${body}`;
    const [expected, actual] = await Promise.all([rawHead(expressUrl, request), rawHead(directUrl, request)]);
    expect(actual['content-length']).toBe(expected['content-length']);
    expect(actual.connection).toBe('keep-alive');
    expect(expected.connection).toBe('keep-alive');
  });

  it('sets Content-Length and no ETag', async () => {
    const response = await fetch(directUrl, { method: 'POST', headers: json, body: '{"query":"{ hello }"}' });
    const body = await response.text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(response.headers.get('etag')).toBeNull();
  });
});

/** The response head's headers (lower-case names) of one raw request written to `url`'s port. */
function rawHead(url: string, raw: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.write(raw));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.destroy();
      const lines = received.slice(0, end).split('\r\n').slice(1);
      resolve(
        Object.fromEntries(
          lines.map((line) => [
            line.slice(0, line.indexOf(':')).toLowerCase(),
            line.slice(line.indexOf(':') + 1).trim(),
          ]),
        ),
      );
    });
    socket.on('error', reject);
  });
}

describe('serveApolloRequest with a stand-in for Apollo', () => {
  let server: Server;
  let url: string;
  let seen: HTTPGraphQLRequest | undefined;
  let respond: () => HTTPGraphQLResponse;

  const executor: ApolloHttpExecutor<Context> = {
    async executeHTTPGraphQLRequest({ httpGraphQLRequest }) {
      seen = httpGraphQLRequest;
      return respond();
    },
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void serveApolloRequest(executor, req, res, { query: '{ a }' }, async () => ({ viewer: '' }));
    });
    url = await listen(server);
  });
  afterAll(() => close(server));

  const complete = (string: string): HTTPGraphQLResponse => ({
    headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
    body: { kind: 'complete', string },
  });

  it('gives Apollo lower-case header names, repeated headers joined with ", ", the method and search', async () => {
    respond = () => complete('{}');
    // node:http keeps repeated Set-Cookie lines as an array: the adapter joins them like the others.
    await sendRaw(
      url,
      'POST /graphql?a=1&b=2 HTTP/1.1\r\nHost: test\r\nX-Trace: one\r\nx-trace: two\r\n' +
        'Set-Cookie: c=1\r\nSet-Cookie: d=2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );
    expect(seen?.method).toBe('POST');
    expect(seen?.search).toBe('?a=1&b=2');
    expect(seen?.body).toEqual({ query: '{ a }' });
    expect(seen?.headers.get('host')).toBe('test');
    expect(seen?.headers.get('x-trace')).toBe('one, two');
    expect(seen?.headers.get('set-cookie')).toBe('c=1, d=2');
    expect([...(seen?.headers.keys() ?? [])].every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('passes an empty search when there is no query string', async () => {
    respond = () => complete('{}');
    await fetch(`${url}/graphql`, { method: 'POST' });
    expect(seen?.search).toBe('');
  });

  it("writes Apollo's status and headers, 200 when it gives no status", async () => {
    respond = () => ({ ...complete('{"data":{}}'), status: 418 });
    const teapot = await fetch(`${url}/graphql`, { method: 'POST' });
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await expect(teapot.text()).resolves.toBe('{"data":{}}');

    respond = () => complete('{"data":{}}');
    expect((await fetch(`${url}/graphql`, { method: 'POST' })).status).toBe(200);
  });

  it('streams a chunked body (incremental delivery) part by part', async () => {
    let release!: () => void;
    const secondPartMayGo = new Promise<void>((resolve) => (release = resolve));
    respond = () => ({
      status: 200,
      headers: new HeaderMap([['content-type', 'multipart/mixed; boundary="-"; deferSpec=20220824']]),
      body: {
        kind: 'chunked',
        asyncIterator: (async function* () {
          yield '\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"hasNext":true}\r\n---';
          await secondPartMayGo;
          yield '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"hasNext":false}\r\n-----\r\n';
        })(),
      },
    });
    const response = await fetch(`${url}/graphql`, { method: 'POST' });
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    // The first part arrives while the second is still being produced.
    const first = await reader.read();
    expect(decoder.decode(first.value)).toContain('{"hasNext":true}');
    release();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += decoder.decode(part.value);
    expect(rest).toContain('{"hasNext":false}');
  });
});

describe('isPostTo', () => {
  const matches = isPostTo('/graphql');
  const req = (method: string, url: string) => ({ method, url }) as IncomingMessage;

  it('matches a POST to the exact path, with or without a query string', () => {
    expect(matches(req('POST', '/graphql'))).toBe(true);
    expect(matches(req('POST', '/graphql?x=1'))).toBe(true);
  });

  it('leaves other methods and other spellings of the path to Express', () => {
    expect(matches(req('GET', '/graphql'))).toBe(false);
    expect(matches(req('POST', '/graphql/'))).toBe(false);
    expect(matches(req('POST', '/GraphQL'))).toBe(false);
    expect(matches(req('POST', '/graphqlx'))).toBe(false);
    expect(matches(req('POST', '/health'))).toBe(false);
  });
});

describe('sendGraphqlError', () => {
  it("answers the status with GraphQL's error shape as JSON", async () => {
    const server = createServer((_req, res) => sendGraphqlError(res, 413, 'Too large', 'BAD_REQUEST'));
    try {
      const response = await fetch(await listen(server), { method: 'POST' });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      await expect(response.json()).resolves.toEqual({
        errors: [{ message: 'Too large', extensions: { code: 'BAD_REQUEST' } }],
      });
    } finally {
      await close(server);
    }
  });
});

/** Writes a request exactly as given (repeated headers, in the casing given) and reads the answer. */
function sendRaw(url: string, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.write(raw));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}
