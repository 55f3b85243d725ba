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
  frames: string[];
}

/**
 * Frames for one socket produced within one event-loop turn leave in one write (one syscall,
 * usually one TCP segment) instead of one each. On loopback and on real networks alike the
 * per-write cost, not the bytes, is most of a small frame's price, and under a burst the
 * results of several events for the same group come out of the same turn. The flush runs at the
 * end of the turn (setImmediate), so no frame waits for a later one.
 *
 * Order: frames of one socket keep their order. Anything graphql-ws itself sends after a result
 * (`complete`, an error) must come after `flush(writes)` of that socket.
 */
export class CoalescedWrites {
  readonly stats: CoalescedWritesStats = { frames: 0, writes: 0 };
  private dirty: SocketWrites[] = [];
  private scheduled = false;

  /** The per-socket buffer to pass to `send`; keep one per socket. */
  forSocket(socket: WebSocket): SocketWrites {
    return { socket, frames: [] };
  }

  send(writes: SocketWrites, frame: string): void {
    if (writes.frames.push(frame) > 1) return;
    this.dirty.push(writes);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
  }

  /** Writes a socket's waiting frames now. */
  flush(writes: SocketWrites): void {
    const frames = writes.frames;
    if (frames.length === 0) return;
    writes.frames = [];
    const socket = writes.socket;
    if (socket.readyState !== socket.OPEN) return;
    this.stats.frames += frames.length;
    this.stats.writes += 1;
    if (frames.length === 1) {
      socket.send(frames[0]!);
      return;
    }
    // ws corks around each frame's header and body; corking around all of them makes one writev.
    const raw = (socket as unknown as { _socket?: Socket })._socket;
    raw?.cork();
    for (const frame of frames) socket.send(frame);
    raw?.uncork();
  }

  /** Writes every socket's waiting frames now (the end of a turn, and before a graceful close). */
  readonly flushAll = (): void => {
    this.scheduled = false;
    const dirty = this.dirty;
    this.dirty = [];
    for (const writes of dirty) this.flush(writes);
  };
}
