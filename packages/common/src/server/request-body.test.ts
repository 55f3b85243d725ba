import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { hasIdentityEncoding, hasRequestBody, readRequestBody, type RequestBody } from './request-body';

const LIMIT = 64;

describe('readRequestBody', () => {
  let server: Server;
  let port: number;
  /** What the server read for each request, in order. */
  let reads: RequestBody[];

  beforeAll(async () => {
    // Answers with what it read: 200 and the bytes, or the refusal's status and message.
    server = createServer((req, res) => {
      void readRequestBody(req, LIMIT).then((body) => {
        reads.push(body);
        res.statusCode = body.ok ? 200 : body.status;
        res.end(body.ok ? body.bytes : body.message);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    reads = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends `parts` one write at a time (chunked unless a content-length is given). */
  function post(parts: string[], headers: Record<string, string> = {}) {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      for (const part of parts) req.write(part);
      req.end();
    });
  }

  it('reads a body sent in several chunks', async () => {
    await expect(post(['{"a":', '1}'])).resolves.toEqual({ status: 200, text: '{"a":1}' });
  });

  it('accepts a body of exactly the limit', async () => {
    const body = 'x'.repeat(LIMIT);
    await expect(post([body], { 'content-length': String(LIMIT) })).resolves.toEqual({ status: 200, text: body });
  });

  it('reads no body as zero bytes', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(answer).toBe(200);
    expect(reads).toEqual([{ ok: true, bytes: Buffer.alloc(0) }]);
  });

  it('refuses a declared length over the limit with 413', async () => {
    const body = 'x'.repeat(LIMIT + 1);
    await expect(post([body], { 'content-length': String(body.length) })).resolves.toEqual({
      status: 413,
      text: `Request body is larger than ${LIMIT} bytes`,
    });
  });

  it('refuses a chunked body once it passes the limit, keeping none of it', async () => {
    const answer = await post(['x'.repeat(LIMIT), 'y', 'z'.repeat(10_000)]);
    expect(answer.status).toBe(413);
    expect(reads).toEqual([{ ok: false, status: 413, message: `Request body is larger than ${LIMIT} bytes` }]);
  });

  it('answers a refused body only once the client has sent it all, on a connection still usable', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    const oversized = 'x'.repeat(LIMIT + 10);
    socket.write(`POST / HTTP/1.1\r\nhost: test\r\ncontent-length: ${oversized.length}\r\n\r\n`);
    socket.write(oversized.slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toBe('');
    socket.write(oversized.slice(20));
    socket.write('POST / HTTP/1.1\r\nhost: test\r\ncontent-length: 2\r\n\r\nok');
    await waitFor(() => received.includes('\r\n\r\nok'));
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/HTTP\/1\.1 200 OK/);
    socket.destroy();
  });

  it('refuses a body cut off before its end as malformed', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nhost: test\r\ncontent-length: 40\r\n\r\n{"a":');
    await new Promise((resolve) => setTimeout(resolve, 30));
    socket.destroy();
    await waitFor(() => reads.length === 1);
    expect(reads).toEqual([{ ok: false, status: 400, message: 'Malformed request' }]);
  });
});

describe('hasRequestBody', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as IncomingMessage;

  it('follows body-parser: a body only with a content-length or a transfer-encoding', () => {
    expect(hasRequestBody(req({}))).toBe(false);
    expect(hasRequestBody(req({ 'content-length': '0' }))).toBe(true);
    expect(hasRequestBody(req({ 'content-length': '12' }))).toBe(true);
    expect(hasRequestBody(req({ 'transfer-encoding': 'chunked' }))).toBe(true);
  });
});

describe('hasIdentityEncoding', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as IncomingMessage;

  it('is true for no content-encoding or identity in any case, false for a compression', () => {
    expect(hasIdentityEncoding(req({}))).toBe(true);
    expect(hasIdentityEncoding(req({ 'content-encoding': '' }))).toBe(true);
    expect(hasIdentityEncoding(req({ 'content-encoding': 'Identity' }))).toBe(true);
    expect(hasIdentityEncoding(req({ 'content-encoding': 'gzip' }))).toBe(false);
    expect(hasIdentityEncoding(req({ 'content-encoding': 'br' }))).toBe(false);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
