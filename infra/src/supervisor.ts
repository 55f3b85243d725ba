import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { SERVICE_NODE_FLAGS } from '@parley/common/service-node-flags';
import { DEFAULT_COMMAND, type ProcessSpec } from './processes';

export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** One running child: the process, its exit, and whether it was asked to stop. */
export class Child {
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;

  constructor(
    readonly spec: ProcessSpec,
    readonly process: ChildProcess,
  ) {
    const handle = process;
    this.exited = new Promise((resolve) => {
      let exit: ExitInfo | undefined;
      let settled = false;
      const settle = () => {
        if (settled || !exit) return;
        settled = true;
        this.exit = exit;
        resolve(exit);
      };
      handle.once('exit', (code, signal) => {
        exit = { code, signal };
        // Let the last output lines through ('close') but do not wait on a grandchild holding the pipe.
        setTimeout(settle, 300).unref();
      });
      handle.once('close', settle);
      handle.once('error', (error) => {
        exit ??= { code: 127, signal: null };
        this.spawnError = error;
        settle();
      });
    });
  }

  spawnError: Error | undefined;

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Signals the child's whole process group (it runs detached, as a group leader). */
  signalGroup(signal: NodeJS.Signals): void {
    const pid = this.process.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        this.process.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

export interface SupervisorOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  onLine: (child: Child, line: string) => void;
  /** A child exited while nobody asked it to stop. */
  onUnexpectedExit: (child: Child, exit: ExitInfo) => void;
}

/**
 * Runs the children. Each gets its own process group, so a Ctrl-C in the terminal reaches only
 * `pnpm start`, which then stops every child exactly once with SIGTERM (a second signal would make
 * a service skip its graceful shutdown).
 */
export class Supervisor {
  readonly children: Child[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    // Last resort: never leave children behind if this process dies on an exception.
    process.once('exit', () => {
      for (const child of this.children) if (child.running) child.signalGroup('SIGKILL');
    });
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  spawn(spec: ProcessSpec): Child {
    const { file, args, cwd } = resolveCommand(spec, this.options.root);
    const env = { ...this.options.env, PATH: withNodeFirst(this.options.env.PATH) };
    const processHandle = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const child = new Child(spec, processHandle);
    this.children.push(child);
    for (const stream of [processHandle.stdout, processHandle.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.options.onLine(child, line));
    }
    void child.exited.then((exit) => {
      // Whatever it left behind in its group (an esbuild service, ...) goes with it.
      child.signalGroup('SIGKILL');
      if (!this.stopping) this.options.onUnexpectedExit(child, exit);
    });
    return child;
  }

  /**
   * SIGTERM to every running child, then waits; after `graceMs` the rest are killed. Resolves with
   * the names of the children that had to be killed.
   */
  async stopAll(graceMs: number): Promise<string[]> {
    this.stopping = true;
    const running = this.children.filter((child) => child.running);
    for (const child of running) {
      try {
        child.process.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
    const forced: string[] = [];
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    await Promise.all(
      running.map(async (child) => {
        const result = await Promise.race([child.exited, timer]);
        if (result === 'timeout') {
          forced.push(child.spec.name);
          child.signalGroup('SIGKILL');
          await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        }
      }),
    );
    return forced;
  }

  /** Kills every child now (second Ctrl-C). */
  killAll(): void {
    this.stopping = true;
    for (const child of this.children) if (child.running) child.signalGroup('SIGKILL');
  }
}

/** node first on PATH is the one running us (Node 22 under pnpm), so children that spawn `node` agree. */
export function withNodeFirst(path: string | undefined): string {
  const nodeDir = dirname(process.execPath);
  const rest = (path ?? '').split(delimiter).filter((dir) => dir && dir !== nodeDir);
  return [nodeDir, ...rest].join(delimiter);
}

export interface ResolvedCommand {
  file: string;
  args: string[];
  cwd: string;
}

/**
 * tsx runs in-process (`node <SERVICE_NODE_FLAGS> --import tsx src/main.ts`, with this very node
 * binary): one process per service, signals go straight to it. Other binaries come from the
 * package's or the root's node_modules/.bin.
 */
export function resolveCommand(spec: ProcessSpec, root: string): ResolvedCommand {
  const cwd = join(root, spec.dir);
  if (!existsSync(join(cwd, 'package.json'))) {
    throw new StartError(`${spec.label}: ${spec.dir}/package.json not found (is ${spec.package} in the workspace?)`);
  }
  const command = spec.command ?? DEFAULT_COMMAND;
  if (command.bin === 'tsx') {
    const entry = command.args[0];
    if (entry && !existsSync(join(cwd, entry))) {
      throw new StartError(
        `${spec.label}: ${spec.dir}/${entry} does not exist yet; run without it: START_SERVICES=-${spec.name} pnpm start`,
      );
    }
    return { file: process.execPath, args: [...SERVICE_NODE_FLAGS, '--import', tsxLoader(root), ...command.args], cwd };
  }
  for (const dir of [cwd, root]) {
    const bin = join(dir, 'node_modules', '.bin', command.bin);
    if (existsSync(bin)) return { file: bin, args: [...command.args], cwd };
  }
  throw new StartError(
    `${spec.label}: ${command.bin} not found in ${spec.dir}/node_modules/.bin; run \`pnpm install\``,
  );
}

function tsxLoader(root: string): string {
  try {
    return pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
  } catch {
    throw new StartError('tsx is not installed (root devDependency); run `pnpm install`');
  }
}

/** True when something already accepts connections on host:port. */
export function portInUse(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitForHttpOptions {
  timeoutMs: number;
  /** Stop waiting (with the child's exit in the error) when this child exits. */
  child: Child;
  /** Stop waiting when this aborts (shutdown requested). */
  signal: AbortSignal;
  /** Called every few seconds while waiting, with the last answer. */
  onWait?: (elapsedMs: number, last: string) => void;
  reportEveryMs?: number;
  /** Time between attempts. */
  intervalMs?: number;
}

/** Polls `url` until it answers 200. */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<number> {
  const started = Date.now();
  let lastReport = started;
  let last = 'no answer yet';
  const reportEvery = options.reportEveryMs ?? 10_000;
  while (Date.now() - started < options.timeoutMs) {
    if (options.signal.aborted) throw new StartError('stopped while waiting');
    if (!options.child.running) {
      const exit = options.child.exit!;
      throw new StartError(`${options.child.spec.label} exited (${describeExit(exit)}) before ${url} answered`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.any([AbortSignal.timeout(2000), options.signal]) });
      const body = (await response.text()).replace(/\s+/g, ' ').slice(0, 200);
      if (response.status === 200) return Date.now() - started;
      last = `${response.status} ${body}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      last = cause?.code ?? (error as Error).message;
    }
    if (Date.now() - lastReport >= reportEvery) {
      lastReport = Date.now();
      options.onWait?.(Date.now() - started, last);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
  throw new StartError(
    `${options.child.spec.label}: ${url} did not answer 200 within ${Math.round(options.timeoutMs / 1000)}s (last: ${last}); ` +
      'raise START_TIMEOUT_MS or read its output above',
  );
}
