import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '@parley/common/service-node-flags';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** USER_HZ: 100 on every Linux the project runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

/** Clock ticks (/proc/stat and /proc/<pid>/stat units) in milliseconds. */
export const ticksToMs = (ticks: number) => (ticks * 1000) / CLOCK_TICKS;

/** User + system CPU time in a /proc/<pid>/stat line, in milliseconds. */
export function cpuMsOfStat(stat: string): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/**
 * Starts counting; the returned function gives the CPU time (ms) each child and this process
 * used since, and the wall time.
 */
export async function childCpuMeter<K extends string>(children: Record<K, ChildServer>) {
  const names = Object.keys(children) as K[];
  const read = () => Promise.all(names.map((name) => children[name].cpuMs()));
  const before = await read();
  const bench = process.cpuUsage();
  const wall = performance.now();
  return async () => {
    const wallMs = performance.now() - wall;
    const used = process.cpuUsage(bench);
    const now = await read();
    const childMs = Object.fromEntries(names.map((name, i) => [name, now[i]! - before[i]!])) as Record<K, number>;
    return { wallMs, benchMs: (used.user + used.system) / 1000, childMs };
  };
}

/** What a child entry (router-process.ts, raw-broadcast-process.ts) sends its parent over IPC. */
export type ChildMessage =
  { type: 'ready'; url: string } | { type: 'reply'; id: number; result?: unknown; error?: string };

/** What the parent asks a child: `command` is the child's own vocabulary. */
export interface ChildRequest {
  id: number;
  command: string;
  args?: unknown;
}

/**
 * A bench server in a process of its own (`node --expose-gc --import tsx <entry>`, as
 * e2e/support/faults.ts runs the translator): its resident memory is its own, and on this
 * two-core machine it gets a core while the clients and the subgraphs share the other.
 */
export class ChildServer {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private stderr = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'reply') return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) {
        waiter.reject(new Error(`${entryName(child)} exited (${code ?? signal}): ${this.stderr.slice(-2000)}`));
      }
      this.waiting.clear();
    });
  }

  /** Spawns `entry` (a path relative to bench/subscriptions/) and waits for its `ready`. */
  static async start(entry: string, env: Record<string, string>, timeoutMs = 120_000): Promise<ChildServer> {
    const script = fileURLToPath(new URL(entry, import.meta.url));
    // BENCH_CPU_PROF_DIR=<dir> writes a V8 CPU profile of each child there when it exits (diagnosis).
    const profile = process.env.BENCH_CPU_PROF_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
      : [];
    const child = spawn(
      process.execPath,
      [...profile, ...SERVICE_NODE_FLAGS, '--expose-gc', '--import', 'tsx', script],
      {
        cwd: REPO_ROOT,
        env,
        // BENCH_CHILD_OUTPUT=inherit shows the child's log (with LOG_LEVEL) when diagnosing a run.
        stdio: ['ignore', process.env.BENCH_CHILD_OUTPUT === 'inherit' ? 'inherit' : 'ignore', 'pipe', 'ipc'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${entry} not ready within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      child.on('message', (message: ChildMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message.url);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited (${code ?? signal}) before it was ready: ${stderr}`));
      });
    });
    const server = new ChildServer(child, url);
    server.stderr = stderr;
    child.stderr?.on('data', (chunk: Buffer) => {
      server.stderr = (server.stderr + chunk.toString()).slice(-8000);
    });
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The last lines the child wrote to stderr (its crash, if it crashed). */
  get errorOutput(): string {
    return this.stderr;
  }

  request<T>(command: string, args?: unknown, timeoutMs = 600_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${command} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, command, args } satisfies ChildRequest);
    });
  }

  /** Resident set size from /proc/<pid>/status (VmRSS), in bytes. */
  async rssBytes(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    if (!match) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    return Number(match[1]) * 1024;
  }

  /** User + system CPU time the child has used so far, from /proc/<pid>/stat, in milliseconds. */
  async cpuMs(): Promise<number> {
    return cpuMsOfStat(await readFile(`/proc/${this.pid}/stat`, 'utf8'));
  }

  /** SIGTERM (the child stops gracefully), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function entryName(child: ChildProcess): string {
  return child.spawnargs.at(-1)?.split('/').at(-1) ?? 'child';
}

/**
 * The child side: answers the parent's requests with `handlers[command](args)`, reports `ready`
 * with `url`, and runs `stop` on SIGTERM before it exits.
 */
export function serveParent(
  url: string,
  handlers: Record<string, (args: unknown) => unknown>,
  stop: () => Promise<void>,
): void {
  process.on('message', (message: ChildRequest) => {
    const handler = handlers[message.command];
    const reply = (body: Omit<Extract<ChildMessage, { type: 'reply' }>, 'type' | 'id'>) =>
      process.send?.({ type: 'reply', id: message.id, ...body } satisfies ChildMessage);
    if (!handler) {
      reply({ error: `unknown command ${message.command}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (result) => reply({ result }),
        (error: unknown) => reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  let stopping = false;
  process.once('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  // The parent went away (crashed, killed): do not linger holding ports and sockets.
  process.once('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url } satisfies ChildMessage);
}

/** Both collections the child's V8 offers (the child runs with --expose-gc). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}
