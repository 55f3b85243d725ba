/** Test support: a TCP proxy that can hold what clients send, to keep a client waiting mid-exchange. */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface PausableProxy {
  /** Where clients connect instead of the target. */
  port: number;
  /** Holds every byte clients send from now on (answers already under way still arrive). */
  pause(): void;
  /** Forwards what was held, then everything as it comes. */
  resume(): void;
  /** Bytes held since the pause. */
  heldBytes(): number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  held: Buffer[];
}

export async function startPausableProxy(targetHost: string, targetPort: number): Promise<PausableProxy> {
  let paused = false;
  const pairs = new Set<Pair>();
  const server = createServer((client) => {
    const pair: Pair = { client, upstream: connect(targetPort, targetHost), held: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (paused) pair.held.push(chunk);
      else pair.upstream.write(chunk);
    });
    pair.upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      pair.upstream.destroy();
      pairs.delete(pair);
    };
    for (const socket of [client, pair.upstream]) {
      socket.on('close', close);
      socket.on('error', close);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const pair of pairs) {
        for (const chunk of pair.held.splice(0)) pair.upstream.write(chunk);
      }
    },
    heldBytes() {
      let bytes = 0;
      for (const pair of pairs) for (const chunk of pair.held) bytes += chunk.length;
      return bytes;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
