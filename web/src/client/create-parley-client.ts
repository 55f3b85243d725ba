import { cacheExchange, Client, fetchExchange, subscriptionExchange, type Exchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/** The token to send, or a function read on every request and every (re)connect. */
export type TokenSource = string | null | undefined | (() => string | null | undefined);

export interface ParleyClientOptions {
  /** The router's GraphQL endpoint over HTTP, e.g. http://localhost:4000/graphql. */
  url: string;
  /** The token from signUp / signIn. Without one only signUp, signIn and supportedLanguages work. */
  token?: TokenSource;
  /** The WebSocket endpoint; by default `url` with http(s) replaced by ws(s). */
  wsUrl?: string;
  /** A WebSocket class where the global one is missing (Node: the `ws` package) or to observe sockets. */
  webSocketImpl?: unknown;
  /** A fetch implementation where the global one does not fit. */
  fetch?: typeof fetch;
  /** Reconnect attempts in a row before subscriptions fail; reset by every successful connection. */
  retryAttempts?: number;
  /** Waits before reconnect attempt `retries` (0, 1, 2, ...); randomised exponential backoff by default. */
  retryWait?: (retries: number) => Promise<void>;
  /** Ping the router every so many ms (0: never) so that a dead connection is noticed. */
  keepAliveMs?: number;
  /** Exchanges before fetch and subscriptions (default: urql's document cache). */
  exchanges?: Exchange[];
}

export interface ParleyClient {
  /** The urql client: queries and mutations over HTTP, subscriptions over the WebSocket. */
  readonly urql: Client;
  /** The graphql-ws client under the subscriptions (one socket for all of them, opened lazily). */
  readonly ws: WsClient;
  /**
   * Calls `listener` every time the socket is (re)connected and acknowledged; `reconnect` is true
   * after a drop. Returns a function that removes the listener.
   */
  onConnected(listener: (reconnect: boolean) => void): () => void;
  /** Closes the socket and stops reconnecting; subscriptions complete. */
  close(): Promise<void>;
}

/** Close codes after which reconnecting with the same token cannot help. */
const FATAL_CLOSE_CODES = new Set([4403]);

/** Randomised exponential backoff: about 0.5 s, 1 s, 2 s, ... capped at 15 s. */
export const backoff = (retries: number): Promise<void> => {
  const ceiling = Math.min(15_000, 500 * 2 ** retries);
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
};

/** ws:// for http://, wss:// for https://, the same host and path. */
export const toWebSocketUrl = (httpUrl: string): string => {
  const url = new URL(httpUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
};

const readToken = (token: TokenSource): string | undefined =>
  (typeof token === 'function' ? token() : token) ?? undefined;

/**
 * The Parley client: one urql `Client` whose queries and mutations go over HTTP (`fetchExchange`,
 * always POST, `Authorization: Bearer <token>`) and whose subscriptions go over one graphql-ws
 * socket to the same /graphql (token in the `connection_init` payload as `authorization`). The
 * socket reconnects by itself after a drop (every close but 4403, which means the token is bad)
 * and resubscribes; use `followConversation` to get every message exactly once across drops.
 */
export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  const connectedListeners = new Set<(reconnect: boolean) => void>();
  const ws = createWsClient({
    url: options.wsUrl ?? toWebSocketUrl(options.url),
    webSocketImpl: options.webSocketImpl,
    connectionParams: () => {
      const token = readToken(options.token);
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    lazy: true,
    retryAttempts: options.retryAttempts ?? Number.POSITIVE_INFINITY,
    retryWait: options.retryWait ?? backoff,
    // Like graphql-ws' default (retry close events, not internal errors), less a bad token.
    shouldRetry: (closeEventOrError) => {
      const code = closeCode(closeEventOrError);
      return code !== undefined && !FATAL_CLOSE_CODES.has(code);
    },
    keepAlive: options.keepAliveMs ?? 10_000,
    on: {
      connected: (_socket, _payload, wasRetry) => {
        for (const listener of [...connectedListeners]) listener(wasRetry);
      },
    },
  });

  const urql = new Client({
    url: options.url,
    fetch: options.fetch,
    preferGetMethod: false,
    fetchOptions: () => {
      const token = readToken(options.token);
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
    exchanges: [
      ...(options.exchanges ?? [cacheExchange]),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });

  return {
    urql,
    ws,
    onConnected(listener) {
      connectedListeners.add(listener);
      return () => connectedListeners.delete(listener);
    },
    async close() {
      connectedListeners.clear();
      await ws.dispose();
    },
  };
}

function closeCode(closeEventOrError: unknown): number | undefined {
  if (closeEventOrError && typeof closeEventOrError === 'object' && 'code' in closeEventOrError) {
    const { code } = closeEventOrError as { code: unknown };
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}
