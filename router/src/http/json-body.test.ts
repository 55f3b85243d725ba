import { graphqlErrorHandler, sendGraphqlError } from '@parley/common';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { gzipSync } from 'node:zlib';
import { parseStrictJson, readJsonBody, readsJsonBodyLikeExpress } from './json-body';

const LIMIT = 1024;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/**
 * readJsonBody against the chain it replaces (express.json() with the router's error handler): the
 * same status and the same body for each request readsJsonBodyLikeExpress lets it take.
 */
describe('readJsonBody answers as express.json() does', () => {
  let viaExpress: Server;
  let direct: Server;
  let expressUrl: string;
  let directUrl: string;
  /** Whether the direct server would have taken each request. */
  let takenDirectly: boolean[];

  beforeAll(async () => {
    const app = express();
    app.post('/graphql', express.json({ limit: LIMIT }), (req, res) => {
      res.json({ body: req.body as unknown });
    });
    app.use(graphqlErrorHandler(LIMIT, pino({ level: 'silent' })));
    viaExpress = createServer(app);

    direct = createServer((req, res) => {
      takenDirectly.push(readsJsonBodyLikeExpress(req));
      void readJsonBody(req, LIMIT).then((body) => {
        if (!body.ok) return sendGraphqlError(res, body.status, body.message, 'BAD_USER_INPUT');
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ body: body.value }));
      });
    });
    [expressUrl, directUrl] = await Promise.all([listen(viaExpress), listen(direct)]);
  });
  beforeEach(() => {
    takenDirectly = [];
  });
  afterAll(async () => {
    for (const server of [viaExpress, direct]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function answer(url: string, headers: Record<string, string>, body?: string | Buffer) {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
    });
    return { status: response.status, body: await response.text() };
  }

  const query = JSON.stringify({ query: '{ me { id } }', variables: { a: 'é' } });
  const cases: Array<[string, Record<string, string>, string | Buffer | undefined]> = [
    ['JSON', { 'content-type': 'application/json' }, query],
    ['JSON with charset=utf-8', { 'content-type': 'application/json; charset=utf-8' }, query],
    ['JSON in capitals, spaced', { 'content-type': ' Application/JSON ;CHARSET = "UTF-8"' }, query],
    ['an array', { 'content-type': 'application/json' }, '[{"query":"{ a }"}]'],
    ['an empty body', { 'content-type': 'application/json' }, ''],
    ['blanks before the object', { 'content-type': 'application/json' }, ' \r\n\t{"query":"{ a }"}'],
    ['a byte-order mark', { 'content-type': 'application/json' }, `\uFEFF${query}`],
    ['a string', { 'content-type': 'application/json' }, '"{ a }"'],
    ['null', { 'content-type': 'application/json' }, 'null'],
    ['malformed JSON', { 'content-type': 'application/json' }, '{"query": '],
    ['a body over the limit', { 'content-type': 'application/json' }, JSON.stringify({ pad: 'x'.repeat(LIMIT) })],
    ['a body of exactly the limit', { 'content-type': 'application/json' }, `{"p":"${'x'.repeat(LIMIT - 8)}"}`],
    ['no content-type', {}, query],
    ['text/plain', { 'content-type': 'text/plain' }, query],
    ['another JSON type', { 'content-type': 'application/graphql-response+json' }, query],
    ['application/jsonx', { 'content-type': 'application/jsonx' }, query],
    ['no body', { 'content-type': 'application/json' }, undefined],
  ];

  it.each(cases)('%s', async (_label, headers, body) => {
    const [expected, actual] = await Promise.all([answer(expressUrl, headers, body), answer(directUrl, headers, body)]);
    expect(actual).toEqual(expected);
    expect(takenDirectly).toEqual([true]);
  });

  it('answers 413 and 400 in GraphQL’s error shape', async () => {
    const tooLarge = await answer(directUrl, { 'content-type': 'application/json' }, 'x'.repeat(LIMIT + 1));
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toEqual({
      errors: [{ message: `Request body is larger than ${LIMIT} bytes`, extensions: { code: 'BAD_USER_INPUT' } }],
    });
    const malformed = await answer(directUrl, { 'content-type': 'application/json' }, '{');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['another charset', { 'content-type': 'application/json; charset=utf-16le' }, Buffer.from(query, 'utf16le')],
    ['a charset it refuses', { 'content-type': 'application/json; charset=latin1' }, query],
    ['another parameter', { 'content-type': 'application/json; charset=utf-8; profile=x' }, query],
    ['a compressed body', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(query)],
  ])('leaves %s to Express', async (_label, headers, body) => {
    await answer(directUrl, headers, body);
    expect(takenDirectly).toEqual([false]);
  });
});

describe('parseStrictJson', () => {
  it('reads objects and arrays, and an empty body as {}', () => {
    expect(parseStrictJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseStrictJson(' [1]')).toEqual([1]);
    expect(parseStrictJson('')).toEqual({});
  });

  it('refuses anything else', () => {
    for (const text of ['1', '"a"', 'null', 'true', '   ', '{']) expect(() => parseStrictJson(text)).toThrow();
  });
});
