import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVICE_NODE_FLAGS } from '@parley/common/service-node-flags';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Fault injection on the real services of this machine. Each stop has its restore, and the tests
 * restore in `finally` blocks so a failing assertion never leaves a service down for the next suite.
 */
export const rabbitmq = {
  /** Stops the broker application (the Erlang node stays up, so it comes back in seconds). */
  async stop(): Promise<void> {
    await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
  },
  async start(): Promise<void> {
    await run('rabbitmqctl', ['start_app'], { timeout: 120_000 });
    await run('rabbitmqctl', ['await_startup'], { timeout: 120_000 });
  },
};

export const redis = {
  async stop(): Promise<void> {
    await run('redis-cli', ['-p', '6379', 'shutdown', 'nosave']).catch(() => {
      // redis-cli reports the dropped connection of a successful shutdown as an error.
    });
    await waitUntil(async () => !(await redisAnswers()), 10_000, 'redis to stop');
  },
  async start(): Promise<void> {
    if (await redisAnswers()) return;
    // The daemon would inherit execFile's stdio pipes and keep this process alive; it gets none.
    await new Promise<void>((resolve, reject) => {
      const launcher = spawn('redis-server', ['--daemonize', 'yes', '--port', '6379', '--save', ''], {
        stdio: 'ignore',
        detached: true,
      });
      launcher.once('error', reject);
      launcher.once('exit', () => resolve());
      launcher.unref();
    });
    await waitUntil(redisAnswers, 10_000, 'redis to start');
  },
};

async function redisAnswers(): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', '6379', 'ping'], { timeout: 2_000 });
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One line the translator logged (pino JSON). */
export type TranslatorLogLine = Record<string, unknown> & { msg?: string };

export interface TranslatorProcess {
  url: string;
  child: ChildProcess;
  /** Every line it logged so far, in order (at the `logLevel` it was started with). */
  logs: TranslatorLogLine[];
  /** Resolves with the first line (from `from` on) that satisfies `match`. */
  waitForLog(
    match: (line: TranslatorLogLine) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<TranslatorLogLine>;
  /** SIGKILL: no graceful stop, unacknowledged deliveries go back to the queue. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * The translator as its own process, as `pnpm start` runs it. Resolves once `/ready` answers 200,
 * or with `until: 'health'` once `/health` does (the broker may be down on purpose).
 */
export async function startTranslatorProcess(
  env: Record<string, string>,
  options: { until?: 'ready' | 'health'; logLevel?: string } = {},
): Promise<TranslatorProcess> {
  const probe = options.until === 'health' ? '/health' : '/ready';
  const port = await freePort();
  // Node itself with tsx as a loader, not the tsx CLI: the CLI runs the program in a child process,
  // and a SIGKILL would kill only the wrapper and leave the real worker consuming.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', 'translator/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      TRANSLATOR_PORT: String(port),
      TRANSLATOR_HOST: '127.0.0.1',
      ...(options.logLevel && { LOG_LEVEL: options.logLevel }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: TranslatorLogLine[] = [];
  const logged = new Set<() => void>();
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as TranslatorLogLine);
      } catch {
        logs.push({ msg: line });
      }
    }
    for (const wake of logged) wake();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Whoever waits for a line hears of the exit too.
  child.once('exit', () => {
    for (const wake of logged) wake();
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`translator exited with ${child.exitCode}: ${stderr}`);
        const response = await fetch(`${url}${probe}`).catch(() => undefined);
        return response?.status === 200;
      },
      60_000,
      'the translator process to be ready',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    child,
    logs,
    waitForLog(match, { from = 0, timeoutMs = 60_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.slice(from).find(match);
          if (found) finish(() => resolve(found));
          else if (child.exitCode !== null || child.signalCode !== null)
            finish(() => reject(new Error(`translator exited before logging the line: ${stderr}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`translator did not log the line within ${timeoutMs} ms`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          logged.delete(check);
          settle();
        };
        logged.add(check);
        check();
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
