import WebSocket from 'ws';
import type { DeliveryTracker } from './deliveries';

export interface FleetMember {
  language: string;
  /** The member's access token (graphql mode). */
  token: string;
}

export interface FleetOptions {
  /** ws:// URL of the server. */
  url: string;
  /**
   * `graphql`: graphql-transport-ws, connection_init with the token, one subscribe (id "1").
   * `raw`: a plain socket to `<url>?lang=<language>` (the raw broadcast server).
   */
  mode: 'graphql' | 'raw';
  subscription?: { query: string; variables: Record<string, unknown> };
  /** Handshakes in flight at once. */
  concurrency: number;
  onProgress?: (done: number) => void;
  /** Per socket, from the first byte to subscribed (or open, raw). */
  handshakeTimeoutMs?: number;
}

/**
 * Many client sockets in this process, written with plain `ws` and graphql-transport-ws frames
 * (as e2e's RawSocket) rather than one graphql-ws client each: lighter, and every frame reaches
 * `tracker.onFrame` as the bytes that arrived. Unexpected closes are counted by code.
 */
export class Fleet {
  tracker: DeliveryTracker | undefined;
  readonly closes = new Map<number, number>();
  /** Frames that arrived while no phase was tracking (a subscribe refused, an error): count and a few. */
  strays = 0;
  readonly straySamples: string[] = [];
  private closing = false;

  private constructor(
    readonly sockets: WebSocket[],
    readonly languages: string[],
  ) {}

  get size(): number {
    return this.sockets.length;
  }

  /** Sockets closed by the server (or the network) while the fleet was meant to be open. */
  get dropped(): number {
    let n = 0;
    for (const count of this.closes.values()) n += count;
    return n;
  }

  static async open(members: readonly FleetMember[], options: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(
      new Array<WebSocket>(members.length),
      members.map((member) => member.language),
    );
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < members.length) {
        const index = next++;
        fleet.sockets[index] = await fleet.connect(index, members[index]!, options);
        options.onProgress?.(++done);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(options.concurrency, members.length) }, worker));
    } catch (error) {
      fleet.close();
      throw error;
    }
    return fleet;
  }

  private connect(index: number, member: FleetMember, options: FleetOptions): Promise<WebSocket> {
    const url = options.mode === 'raw' ? `${options.url}?lang=${encodeURIComponent(member.language)}` : options.url;
    const socket =
      options.mode === 'raw'
        ? new WebSocket(url)
        : new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(
        () => fail(new Error(`socket ${index} not ready within ${options.handshakeTimeoutMs ?? 30_000} ms`)),
        options.handshakeTimeoutMs ?? 30_000,
      );
      const fail = (error: Error) => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        socket.terminate();
        reject(error);
      };
      const succeed = () => {
        ready = true;
        clearTimeout(timer);
        resolve(socket);
      };
      socket.on('error', (error) => fail(error));
      socket.once('close', (code, reason) => {
        if (!ready) {
          fail(new Error(`socket ${index} closed during the handshake: ${code} ${String(reason)}`));
          return;
        }
        if (!this.closing) this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
      });
      socket.once('open', () => {
        if (options.mode === 'raw') {
          succeed();
          return;
        }
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${member.token}` } }));
      });
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (!ready) {
          // graphql mode: the only frame before we subscribe is the ack (or an error frame).
          const text = data.toString('utf8');
          if (text.includes('"connection_ack"')) {
            socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: options.subscription }));
            succeed();
          } else {
            fail(new Error(`socket ${index}: unexpected frame before the ack: ${text.slice(0, 200)}`));
          }
          return;
        }
        if (isBinary) return;
        if (this.tracker) {
          this.tracker.onFrame(index, data, performance.now());
        } else {
          this.strays++;
          if (this.straySamples.length < 5) this.straySamples.push(data.toString('utf8').slice(0, 300));
        }
      });
    });
  }

  /** Terminates every socket (no close handshake: the server sees the connection drop). */
  close(): void {
    this.closing = true;
    for (const socket of this.sockets) socket?.terminate();
  }
}
