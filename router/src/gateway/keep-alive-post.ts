import { Agent, request } from 'node:http';

/** The part of a fetch Response that RemoteGraphQLDataSource reads. */
export interface PostResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

// Subgraphs sit on the same host or network: reusing sockets saves a handshake per fetch, and
// node:http costs far less per request than fetch (undici) at the router's fan-out rates.
const agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });

/**
 * POSTs `body` over a pooled keep-alive connection; resolves with the whole response read. A
 * pooled socket the subgraph closed while idle fails on reuse before anything was processed:
 * that one case is retried on a fresh connection (Node's documented pattern, `reusedSocket`).
 */
export async function keepAlivePost(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResponse> {
  try {
    return await postOnce(url, headers, body, timeoutMs);
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return postOnce(url, headers, body, timeoutMs);
  }
}

class StaleSocketError extends Error {}

const STALE_CODES = new Set(['ECONNRESET', 'EPIPE']);

function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (incoming) => {
        answered = true;
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = incoming.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: incoming.statusMessage ?? '',
            url,
            headers: {
              get: (name) => {
                const value = incoming.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            text: async () => text,
            json: async () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`subgraph did not answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale = outgoing.reusedSocket && !answered && STALE_CODES.has(error.code ?? '');
      reject(stale ? new StaleSocketError(error.message) : error);
    });
    outgoing.end(body);
  });
}
