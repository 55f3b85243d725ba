import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedTranslateRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake answers: a status and JSON body, no answer at all, or a dropped connection. */
export type FakeReply = { status: number; body: unknown } | 'hang' | 'drop';

export interface FakeTranslator {
  /** Base URL, as TRANSLATOR_URL. */
  url: string;
  requests: ReceivedTranslateRequest[];
  /** Decides the reply to each request; replace it per test. */
  reply: (request: ReceivedTranslateRequest) => FakeReply;
  stop(): Promise<void>;
}

/** A stand-in for the translator's internal HTTP API that records what it receives. */
export async function startFakeTranslator(): Promise<FakeTranslator> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      fake.requests.push(request);
      const reply = fake.reply(request);
      if (reply === 'hang') return;
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeTranslator = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    reply: () => ({ status: 500, body: { error: { code: 'UNAVAILABLE', message: 'no reply configured' } } }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
