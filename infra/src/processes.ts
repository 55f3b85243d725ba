import { fileURLToPath } from 'node:url';

/** The repository root (infra/src/../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/**
 * One process `pnpm start` runs. Adding a service is one entry in PROCESSES below.
 */
export interface ProcessSpec {
  /** Name in START_SERVICES and the prefix of its output lines. */
  name: string;
  /** How progress lines call it. */
  label: string;
  /** Workspace package, for `pnpm --filter <package> start`. */
  package: string;
  /** Package directory, relative to the repository root; the process runs there. */
  dir: string;
  /**
   * Start order: every process of a stage starts together, and the next stage starts once all of
   * them answer (subgraphs and workers 1, router 2, web 3).
   */
  stage: number;
  /** What to run in `dir`: a package binary and its arguments. Default: tsx src/main.ts. */
  command?: { bin: string; args: string[] };
  /** Its HTTP port: the variable it reads and that variable's default. Workers have none. */
  port?: { env: string; default: number };
  /** The variable holding the address it binds (health checks go there unless it is 0.0.0.0). */
  hostEnv?: string;
  /** Answers 200 once the process is up (default /health). */
  healthPath?: string;
  /** Also waited for before the next stage (the router's /ready needs every dependency). */
  readyPath?: string;
  /** The variable other services read this one's URL from; `pnpm start` sets it for all of them. */
  urlEnv?: string;
  /** Path appended to the address in `urlEnv` (default /graphql). */
  urlPath?: string;
}

export const DEFAULT_COMMAND = { bin: 'tsx', args: ['src/main.ts'] } as const;

/** A subgraph at subgraphs/<name>, package @parley/<name>, port <NAME>_PORT, host <NAME>_HOST. */
function subgraph(name: string, port: number): ProcessSpec {
  const upper = name.toUpperCase();
  return {
    name,
    label: `${name} subgraph`,
    package: `@parley/${name}`,
    dir: `subgraphs/${name}`,
    stage: 1,
    port: { env: `${upper}_PORT`, default: port },
    hostEnv: `${upper}_HOST`,
    urlEnv: `${upper}_URL`,
  };
}

export const PROCESSES: readonly ProcessSpec[] = [
  subgraph('users', 4001),
  subgraph('conversations', 4002),
  subgraph('messages', 4003),
  // Later issues, one line each:
  // subgraph('calls', 4004),
  subgraph('translations', 4005),
  {
    name: 'translator',
    label: 'translator worker',
    package: '@parley/translator',
    dir: 'translator',
    stage: 1,
    port: { env: 'TRANSLATOR_PORT', default: 4006 },
    hostEnv: 'TRANSLATOR_HOST',
    readyPath: '/ready',
    urlEnv: 'TRANSLATOR_URL',
    urlPath: '',
  },
  {
    name: 'router',
    label: 'router',
    package: '@parley/router',
    dir: 'router',
    stage: 2,
    port: { env: 'ROUTER_PORT', default: 4000 },
    hostEnv: 'ROUTER_HOST',
    readyPath: '/ready',
  },
  // { name: 'web', label: 'web app', package: '@parley/web', dir: 'web', stage: 3,
  //   command: { bin: 'vite', args: ['--strictPort'] }, port: { env: 'WEB_PORT', default: 5173 }, healthPath: '/' },
];

/**
 * The processes START_SERVICES selects: "all"; a comma-separated list of names ("users,router");
 * or names prefixed with "-" to leave out ("-router" = all but the router). Order follows
 * PROCESSES. Throws an Error naming the unknown names.
 */
export function selectProcesses(selection: string, all: readonly ProcessSpec[] = PROCESSES): ProcessSpec[] {
  const tokens = selection
    .split(/[\s,]+/)
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  const known = new Set(all.map((spec) => spec.name));
  const unknown = tokens.map((token) => token.replace(/^-/, '')).filter((name) => name !== 'all' && !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: all, ${[...known].join(', ')})`,
    );
  }
  const excluded = new Set(tokens.filter((token) => token.startsWith('-')).map((token) => token.slice(1)));
  const included = tokens.filter((token) => !token.startsWith('-'));
  const base = included.length === 0 || included.includes('all') ? new Set(known) : new Set(included);
  const selected = all.filter((spec) => base.has(spec.name) && !excluded.has(spec.name));
  if (selected.length === 0) throw new Error(`selects no service (known: all, ${[...known].join(', ')})`);
  return selected;
}

/** The processes grouped by stage, in stage order. */
export function stages(specs: readonly ProcessSpec[]): ProcessSpec[][] {
  const byStage = new Map<number, ProcessSpec[]>();
  for (const spec of specs) byStage.set(spec.stage, [...(byStage.get(spec.stage) ?? []), spec]);
  return [...byStage.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** The address to reach a process bound to `host` from this machine. */
export function reachableHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
