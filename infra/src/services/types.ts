/** What a probe learned about a server. */
export type ProbeResult =
  /** It answered and accepted us. */
  | { status: 'ok' }
  /** Nothing answered (refused, timed out, unknown host, still starting up). */
  | { status: 'down'; detail: string }
  /** It answered but refused us (bad credentials, ...): starting or installing would not help. */
  | { status: 'rejected'; detail: string };

export interface StartCommand {
  command: string;
  args: string[];
}

/** One backing service (PostgreSQL, Redis, RabbitMQ) as `ensureService` sees it. */
export interface BackingService {
  /** Display name, e.g. "PostgreSQL". */
  name: string;
  /** The variable its URL comes from, e.g. "DATABASE_URL". */
  envVar: string;
  url: string;
  /** The Debian package that provides the server. */
  aptPackage: string;
  /** Connect and ping, giving up after `timeoutMs`. Never throws. */
  probe(timeoutMs: number): Promise<ProbeResult>;
  /** The server is installed on this machine. */
  isInstalled(): boolean;
  /** How to start the local server; throws an Error with a one-line message when it cannot. */
  startCommand(): StartCommand;
  /** Runs once after this tool installed the package, before the first start. */
  afterInstall?(say: (line: string) => void): Promise<void>;
}

export class ServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** A short description of a connection error: its code and message, on one line. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message
      .replace(/\s+/g, ' ')
      .replace(/^undefined: /, '')
      .trim();
    if (typeof code === 'string' && code && !message.includes(code)) return `${code}: ${message}`;
    return message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}

/** Rejects after `ms` with a timeout error; the timer does not keep the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
