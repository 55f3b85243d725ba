import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { keepAlivePost } from './keep-alive-post';

describe('keepAlivePost', () => {
  let server: Server;
  let url: string;
  const served = new WeakMap<Socket, number>();

  beforeAll(async () => {
    // Answers the first request on each connection, then drops the connection on the next one:
    // what a client sees when the server closed an idle pooled socket just as it was reused.
    server = createServer((request, response) => {
      const count = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, count);
      if (count > 1) {
        request.socket.destroy();
        return;
      }
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ echo: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts and reads the JSON answer', async () => {
    const response = await keepAlivePost(url, { 'content-type': 'application/json' }, '{"a":1}', 2_000);
    expect(response.ok).toBe(true);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    await expect(response.json()).resolves.toEqual({ echo: '{"a":1}' });
  });

  it('retries once on a fresh connection when a reused socket turns out closed', async () => {
    const first = await keepAlivePost(url, {}, 'one', 2_000);
    const second = await keepAlivePost(url, {}, 'two', 2_000);
    await expect(first.json()).resolves.toEqual({ echo: 'one' });
    await expect(second.json()).resolves.toEqual({ echo: 'two' });
  });
});
