import { buildSchema } from 'graphql';
import { pino } from 'pino';
import { gzipSync } from 'node:zlib';
import { signRequest } from '../auth/router-signature';
import { startSubgraphServer, type RunningSubgraph } from './subgraph-server';

const SECRET = 's'.repeat(48);
const schema = buildSchema('type Query { viewer: String }');

describe('startSubgraphServer', () => {
  let subgraph: RunningSubgraph;
  let origin: string;

  beforeAll(async () => {
    subgraph = await startSubgraphServer({
      name: 'test',
      schema,
      signingSecret: SECRET,
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
      maxBodyBytes: 2048,
      context: (identity, router) => ({ identity, router }),
    });
    origin = new URL(subgraph.url).origin;
  });
  afterAll(() => subgraph.stop());

  const signed = (body: string | Buffer, userId = 'u-1') => ({
    'content-type': 'application/json',
    ...signRequest(SECRET, { userId, clientIp: '' }, body),
  });
  const post = (path: string, headers: Record<string, string>, body: string | Buffer) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('serves a request the router signed, without a Cache-Control header', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const response = await post('/graphql', signed(body), body);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBeNull();
    await expect(response.json()).resolves.toEqual({ data: { __typename: 'Query' } });
  });

  it('answers 401 and runs nothing without a valid signature', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const response = await post('/graphql', signed('{"query":"{ other }"}'), body);
    expect(response.status).toBe(401);
    await expect(response.json()).resolves.toEqual({
      errors: [{ message: 'Requests must come through the router', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const response = await post('/graphql', signed('{"query":'), '{"query":');
    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toEqual({
      errors: [{ message: 'Body is not JSON', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it("answers 413 in GraphQL's error shape for a body over the limit", async () => {
    const body = JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(3000) });
    const response = await post('/graphql', signed(body), body);
    expect(response.status).toBe(413);
    await expect(response.json()).resolves.toEqual({
      errors: [{ message: 'Request body is larger than 2048 bytes', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('still serves through Express what the direct path leaves to it', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const trailingSlash = await post('/graphql/', signed(body), body);
    expect(trailingSlash.status).toBe(200);
    await expect(trailingSlash.json()).resolves.toEqual({ data: { __typename: 'Query' } });

    // express.raw inflates; the signature covers the inflated bytes, as before.
    const compressed = await post('/graphql', { ...signed(body), 'content-encoding': 'gzip' }, gzipSync(body));
    expect(compressed.status).toBe(200);

    const tooLarge = JSON.stringify({ pad: 'x'.repeat(3000) });
    const refused = await post('/graphql/', signed(tooLarge), tooLarge);
    expect(refused.status).toBe(413);
    await expect(refused.json()).resolves.toEqual({
      errors: [{ message: 'Request body is larger than 2048 bytes', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('serves /health and /ready through Express, and 404 for the rest', async () => {
    await expect((await fetch(`${origin}/health`)).json()).resolves.toEqual({ status: 'ok', service: 'test' });
    await expect((await fetch(`${origin}/ready`)).json()).resolves.toEqual({ status: 'ready', service: 'test' });
    expect((await fetch(`${origin}/graphql`)).status).toBe(404);
    expect((await fetch(`${origin}/nope`, { method: 'POST' })).status).toBe(404);
  });
});
