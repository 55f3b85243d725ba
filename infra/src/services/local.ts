import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { hostname } from 'node:os';
import { delimiter, join } from 'node:path';

/** True when `url`'s host is this machine: loopback names and addresses, or this host's name. */
export function isLocalUrl(url: string, thisHost: string = hostname()): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  if (host === '' || host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^127(\.\d{1,3}){3}$/.test(host)) return true;
  if (host === '::1' || host === '0.0.0.0' || host === '::' || host === '0:0:0:0:0:0:0:1') return true;
  return thisHost !== '' && host === thisHost.toLowerCase();
}

/** The URL with its password replaced, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** The port in `url`, or `fallback` when it names none. */
export function urlPort(url: string, fallback: number): number {
  const port = new URL(url).port;
  return port ? Number(port) : fallback;
}

/** sbin directories hold the server binaries but are often missing from a normal user's PATH. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

/** Absolute path of an executable named `name` on PATH (or in the sbin directories), or undefined. */
export function findBinary(name: string, path: string = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the command wrote (stdout and stderr), for error messages. */
  tail: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Called with each output line as it arrives (for progress). */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Runs a command to completion. It resolves on `exit`, not `close`: server start commands fork a
 * daemon that may inherit the output pipes and keep them open for the daemon's whole life. The
 * command gets its own process group, so a Ctrl-C meant for `pnpm start` does not reach a daemon
 * it leaves behind.
 */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const lines: string[] = [];
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > 20) lines.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, options.timeoutMs);
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (partial.trim()) lines.push(partial);
      // A forked daemon may hold the pipes open; stop listening so this process can exit.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ code, signal, tail: lines.slice(-5).join(' | ') });
    });
  });
}

/** `cmd arg 'arg with space'`, for messages. */
export function formatCommand(command: string, args: string[]): string {
  return [command, ...args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
