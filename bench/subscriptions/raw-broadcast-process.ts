import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { collectGarbage, serveParent } from './child';
import { MARKER_SLOT, marker } from './deliveries';

export interface BroadcastArgs {
  /** One delivered router frame per language, its marker replaced by MARKER_SLOT. */
  templates: Record<string, string>;
  /** Message numbers first, first + 1, ... first + count - 1. */
  first: number;
  count: number;
}

/**
 * The raw ceiling for fan-out: a plain `ws` server (same library and defaults as the router's,
 * no permessage-deflate) that sends each message to every socket, the frame encoded once per
 * language and message. No GraphQL, no Redis, no resolution, no per-subscriber queue. Clients
 * connect to `/?lang=<code>`.
 */
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
const byLanguage = new Map<string, Set<WebSocket>>();
let written = 0;
wss.on('connection', (socket, request) => {
  const language = new URL(request.url ?? '/', 'http://localhost').searchParams.get('lang') ?? '';
  let set = byLanguage.get(language);
  if (!set) byLanguage.set(language, (set = new Set()));
  set.add(socket);
  socket.on('error', () => undefined);
  socket.once('close', () => set.delete(socket));
});

async function broadcast({ templates, first, count }: BroadcastArgs): Promise<{ sendMs: number; frames: number }> {
  const started = performance.now();
  let frames = 0;
  for (let n = first; n < first + count; n++) {
    for (const [language, sockets] of byLanguage) {
      const template = templates[language];
      if (template === undefined) throw new Error(`no payload for language ${language}`);
      const frame = Buffer.from(template.replaceAll(MARKER_SLOT, marker(n)));
      for (const socket of sockets) {
        socket.send(frame, { binary: false });
        frames++;
        written++;
      }
    }
    // One message per turn, as the router gets one event per turn: the sockets' writes interleave.
    await nextTurn();
  }
  return { sendMs: performance.now() - started, frames };
}

serveParent(
  `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
  {
    connections: () => wss.clients.size,
    // The router hub's counters, as far as they mean anything here: no resolutions, frames written.
    stats: () => ({
      subscribers: wss.clients.size,
      conversations: 0,
      pending: 0,
      resolutions: 0,
      fetches: 0,
      deliveries: written,
    }),
    broadcast: (args) => broadcast(args as BroadcastArgs),
    gc: () => {
      collectGarbage();
      return process.memoryUsage();
    },
  },
  async () => {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  },
);
