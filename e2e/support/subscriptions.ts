import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from './messaging';

/** The router's WebSocket URL from its HTTP GraphQL URL. */
export const wsUrl = (routerUrl: string) => routerUrl.replace(/^http/, 'ws');

/** A graphql-ws client as an app would use it: token in connection_init, no retries unless asked. */
export function connect(routerUrl: string, token: string, options: { retryAttempts?: number } = {}): WsClient {
  return createClient({
    url: wsUrl(routerUrl),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: options.retryAttempts ?? 0,
    lazy: true,
  });
}

export interface ResultError {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * One subscription's results, collected as they come: `next` results, the `error` message
 * (graphql-ws rejects with the GraphQL errors, or with the CloseEvent), and completion.
 */
export class Collected<T = Record<string, any>> {
  readonly results: Array<{ data?: T | null; errors?: ResultError[] }> = [];
  errors: ResultError[] | undefined;
  closeCode: number | undefined;
  completed = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: WsClient,
    query: string,
    variables: Record<string, unknown>,
  ) {
    this.dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          this.results.push(result as never);
          this.changed();
        },
        error: (error: unknown) => {
          if (Array.isArray(error)) this.errors = error as ResultError[];
          else if (error && typeof error === 'object' && 'code' in error)
            this.closeCode = (error as { code: number }).code;
          else this.errors = [{ message: String(error) }];
          this.changed();
        },
        complete: () => {
          this.completed = true;
          this.changed();
        },
      },
    );
  }

  readonly dispose: () => void;

  get data(): T[] {
    return this.results.flatMap((result) => (result.data ? [result.data] : []));
  }

  /** Resolves when `predicate` holds; rejects with what was collected after `timeoutMs`. */
  until(predicate: (self: this) => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; collected ${JSON.stringify({ results: this.results, errors: this.errors, closeCode: this.closeCode, completed: this.completed })}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  untilCount(count: number, timeoutMs?: number): Promise<void> {
    return this.until((self) => self.results.length >= count, timeoutMs, `${count} results`);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export function subscribe<T = Record<string, any>>(
  client: WsClient,
  query: string,
  variables: Record<string, unknown>,
): Collected<T> {
  return new Collected<T>(client, query, variables);
}

/** Waits until the router's hub holds `count` subscribers (subscribe is acknowledged by nothing else). */
export async function untilSubscribed(
  stats: () => { subscribers: number },
  count: number,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(async () => (stats().subscribers >= count ? true : undefined), {
    timeoutMs,
    intervalMs: 20,
    what: `${count} live subscribers`,
  });
}

/** A raw graphql-transport-ws socket for protocol tests: frames in, close code out. */
export class RawSocket {
  readonly socket: WebSocket;
  readonly messages: Array<Record<string, any>> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(routerUrl: string, protocol = 'graphql-transport-ws') {
    this.socket = new WebSocket(wsUrl(routerUrl), protocol);
    this.socket.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Record<string, any>);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async init(token: string): Promise<void> {
    await this.opened;
    this.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    await this.waitFor((message) => message.type === 'connection_ack');
  }

  async waitFor(
    predicate: (message: Record<string, any>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.terminate();
  }
}
