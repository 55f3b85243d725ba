import { connect, type Socket } from 'node:net';

/** Credentials of a client of the router. */
export const bearer = (token: string) => (): Record<string, string> => ({ authorization: `Bearer ${token}` });

/**
 * The load generator's HTTP client: POSTs JSON over keep-alive HTTP/1.1 connections, one per
 * request in flight. It shares the machine's two cores with the services it measures, so it costs
 * as little as a client can, as wrk or autocannon do: the request head is written as one string
 * and the response read straight off the socket (status line, Content-Length or chunked body).
 * node:http's client spent 0.26–0.44 ms of CPU per send here, about half the raw loop's whole
 * cost per send; fetch (undici) about 0.8 ms. The requests are a browser's (bearer token, JSON
 * body), and so is the load (the caller sets the concurrency).
 */
export class LoadClient {
  private readonly host: string;
  private readonly port: number;
  private readonly head: string;
  private readonly idle: Connection[] = [];
  private readonly open = new Set<Connection>();
  private readonly waiting: Array<(connection: Connection) => void> = [];

  /** `headersFor` adds the credentials (a bearer token, or a router signature over the body). */
  constructor(
    url: string,
    private readonly headersFor: (body: string) => Record<string, string>,
    private readonly concurrency: number,
  ) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:') throw new Error(`LoadClient speaks plain HTTP, not ${parsed.protocol}`);
    this.host = parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname;
    this.port = Number(parsed.port || 80);
    this.head = `POST ${parsed.pathname}${parsed.search} HTTP/1.1\r\nhost: ${parsed.host}\r\ncontent-type: application/json\r\n`;
  }

  /** The `data` of a GraphQL request that must succeed; throws with its errors otherwise. */
  async data<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify({ query, variables });
    let head = `${this.head}content-length: ${Buffer.byteLength(body)}\r\n`;
    for (const [name, value] of Object.entries(this.headersFor(body))) head += `${name}: ${value}\r\n`;
    const connection = await this.acquire();
    let text: string;
    try {
      text = await connection.exchange(`${head}\r\n${body}`);
    } finally {
      this.release(connection);
    }
    const result = JSON.parse(text) as { data?: T | null; errors?: unknown[] };
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  close(): void {
    for (const connection of this.open) connection.destroy();
    this.open.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<Connection> {
    let ready = this.idle.pop();
    // One the server closed while it was idle (its keep-alive timeout) would fail the send at once.
    while (ready?.closed) {
      this.open.delete(ready);
      ready = this.idle.pop();
    }
    if (ready) return Promise.resolve(ready);
    if (this.open.size < this.concurrency) {
      const connection = new Connection(connect(this.port, this.host));
      this.open.add(connection);
      return Promise.resolve(connection);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: Connection): void {
    if (connection.closed) {
      this.open.delete(connection);
      // A waiter takes a fresh connection in the freed slot.
      const next = this.waiting.shift();
      if (next) void this.acquire().then(next);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** One keep-alive connection: one exchange at a time (no pipelining). */
class Connection {
  closed = false;
  private buffered: Buffer = Buffer.alloc(0);
  private pending?: { resolve: (body: string) => void; reject: (error: Error) => void };

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.tryComplete();
    });
    const fail = (error: Error) => {
      this.closed = true;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the response ended')));
  }

  exchange(request: string): Promise<string> {
    if (this.closed) return Promise.reject(new Error('connection is closed'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Completes the pending exchange once its whole response is buffered. */
  private tryComplete(): void {
    if (!this.pending) {
      // Bytes nobody asked for would be read as the next request's answer.
      this.destroy();
      return;
    }
    const headEnd = this.buffered.indexOf(CRLF_CRLF);
    if (headEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headEnd).toLowerCase();
    const bodyStart = headEnd + 4;
    const status = Number(head.slice(9, 12));
    let body: Buffer | undefined;
    let consumed = 0;
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) {
      const chunks = dechunk(this.buffered, bodyStart);
      if (!chunks) return;
      body = chunks.body;
      consumed = chunks.end;
    } else {
      const length = Number(/\r\ncontent-length: *(\d+)/.exec(head)?.[1] ?? 0);
      if (this.buffered.length < bodyStart + length) return;
      body = this.buffered.subarray(bodyStart, bodyStart + length);
      consumed = bodyStart + length;
    }
    const text = body.toString('utf8');
    this.buffered = this.buffered.subarray(consumed);
    if (/\r\nconnection: *close/.test(head)) this.destroy();
    const pending = this.pending;
    this.pending = undefined;
    // A GraphQL error answer (400, 401) still carries the errors the caller reports.
    if (status >= 500 && !text.startsWith('{')) pending.reject(new Error(`HTTP ${status}: ${text.slice(0, 200)}`));
    else pending.resolve(text);
  }
}

/** A chunked body starting at `from`, once its last chunk is buffered. */
function dechunk(buffer: Buffer, from: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    const dataStart = lineEnd + 2;
    if (size === 0) {
      // No trailers are sent to this client: the last chunk is `0\r\n\r\n`.
      if (buffer.length < dataStart + 2) return undefined;
      return { body: Buffer.concat(parts), end: dataStart + 2 };
    }
    if (buffer.length < dataStart + size + 2) return undefined;
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}
