import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface CoalescedWritesStats {
  /** Frames handed to sockets. */
  frames: number;
  /** Writes they took: one per socket and event-loop turn with frames to send. */
  writes: number;
}

/** The frames one socket has waiting for the end of the current event-loop turn. */
export interface SocketWrites {
  readonly socket: WebSocket;
  /** Flat pairs: a frame is the text `prefix + payload + '}'`. */
  parts: Buffer[];
  /** Bytes of the waiting frames: with the socket's own buffer, what a slow client has not taken yet. */
  pendingBytes: number;
}

const CLOSING_BRACE = Buffer.from('}');
/** FIN + text opcode: every result frame is one whole text message. */
const FIN_TEXT = 0x81;

/** ws' internals this relies on: the TCP socket, and whether its sender is writing straight through. */
interface WsInternals {
  _socket?: Socket;
  _sender?: { _state?: number; _firstFragment?: boolean };
}

/** Headers by length: a group's frames share lengths, and a header is never written to once built. */
const headers = new Map<number, Buffer>();
const MAX_CACHED_HEADERS = 4096;

/**
 * The header of an unmasked server-to-client text frame of `length` bytes (RFC 6455 §5.2).
 * Exported for tests.
 */
export function textFrameHeader(length: number): Buffer {
  let header = headers.get(length);
  if (header === undefined) {
    if (headers.size >= MAX_CACHED_HEADERS) headers.clear();
    header = buildHeader(length);
    headers.set(length, header);
  }
  return header;
}

function buildHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([FIN_TEXT, length]);
  if (length < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = FIN_TEXT;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = FIN_TEXT;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/**
 * Result frames for one socket produced within one event-loop turn leave in one write (one
 * syscall, usually one TCP segment) instead of one each. On loopback and on real networks alike
 * the per-write cost, not the bytes, is most of a small frame's price, and under a burst the
 * results of several events for the same group come out of the same turn. The flush runs at the
 * end of the turn (setImmediate), so no frame waits for a later one.
 *
 * A frame is `{"id":…,"type":"next","payload":` (per subscription, encoded once) + the group's
 * result (encoded once per group) + `}`: the parts are written as they are, under a header built
 * here, so no frame is concatenated, re-encoded or copied per subscriber. That is only done while
 * ws' own sender writes straight through (no compression extension, nothing queued); otherwise the
 * frame goes through `socket.send`. Frames of one socket keep their order, and anything
 * graphql-ws itself sends after a result (`complete`, an error) must come after `flush(writes)`.
 */
export class CoalescedWrites {
  readonly stats: CoalescedWritesStats = { frames: 0, writes: 0 };
  private dirty: SocketWrites[] = [];
  private scheduled = false;

  /** The per-socket buffer to pass to `send`; keep one per socket. */
  forSocket(socket: WebSocket): SocketWrites {
    return { socket, parts: [], pendingBytes: 0 };
  }

  /** Queues the text frame `prefix + payload + '}'` for the end of this turn. */
  send(writes: SocketWrites, prefix: Buffer, payload: Buffer): void {
    writes.pendingBytes += prefix.length + payload.length + 1;
    if (writes.parts.push(prefix, payload) > 2) return;
    this.dirty.push(writes);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
  }

  /** Writes a socket's waiting frames now. */
  flush(writes: SocketWrites): void {
    const parts = writes.parts;
    if (parts.length === 0) return;
    writes.parts = [];
    writes.pendingBytes = 0;
    const socket = writes.socket;
    if (socket.readyState !== socket.OPEN) return;
    this.stats.frames += parts.length / 2;
    this.stats.writes += 1;
    const internals = socket as unknown as WsInternals;
    const raw = internals._socket;
    const direct =
      raw !== undefined &&
      internals._sender?._state === 0 &&
      internals._sender._firstFragment === true &&
      socket.extensions === '';
    if (!direct) {
      for (let i = 0; i < parts.length; i += 2) {
        socket.send(Buffer.concat([parts[i]!, parts[i + 1]!, CLOSING_BRACE]), { binary: false });
      }
      return;
    }
    raw.cork();
    for (let i = 0; i < parts.length; i += 2) {
      const prefix = parts[i]!;
      const payload = parts[i + 1]!;
      raw.write(textFrameHeader(prefix.length + payload.length + 1));
      raw.write(prefix);
      raw.write(payload);
      raw.write(CLOSING_BRACE);
    }
    raw.uncork();
  }

  /** Writes every socket's waiting frames now (the end of a turn, and before a graceful close). */
  readonly flushAll = (): void => {
    this.scheduled = false;
    const dirty = this.dirty;
    this.dirty = [];
    for (const writes of dirty) this.flush(writes);
  };
}
