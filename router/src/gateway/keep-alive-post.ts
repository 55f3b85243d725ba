import { Agent, request, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';

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
 * Request options per subgraph URL, parsed once (what node:http would parse from the URL string on
 * every request): the router posts to a handful of URLs, many times each.
 */
const targets = new Map<string, RequestOptions>();

function targetOf(url: string): RequestOptions {
  let target = targets.get(url);
  if (!target) {
    target = urlToHttpOptions(new URL(url));
    targets.set(url, target);
  }
  return target;
}

/**
 * POSTs `body` over a pooled keep-alive connection; resolves with the whole response read.
 * `headers` (lower-case names) go out as given, with `content-length` set on the object. A
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

/** A response read to its end (methods on the prototype: no closures per response). */
class ReadResponse implements PostResponse {
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    incoming: IncomingHttpHeaders,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new ReadHeaders(incoming);
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body) as unknown;
  }
}

class ReadHeaders {
  constructor(private readonly incoming: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.incoming[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResponse> {
  const target = targetOf(url);
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request({ ...target, method: 'POST', agent, headers, timeout: timeoutMs }, (incoming) => {
      answered = true;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = incoming.statusCode ?? 0;
        resolve(new ReadResponse(url, status, incoming.statusMessage ?? '', incoming.headers, text));
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`subgraph did not answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale = outgoing.reusedSocket && !answered && STALE_CODES.has(error.code ?? '');
      reject(stale ? new StaleSocketError(error.message) : error);
    });
    outgoing.end(body);
  });
}
