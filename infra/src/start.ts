/**
 * `pnpm start`: the whole backend on one machine. Ensures PostgreSQL, Redis and RabbitMQ (starting
 * or installing them when they are local), creates the database, then runs each service as a child
 * process — subgraphs first, the router once they answer — with their output prefixed, and stops
 * them all on Ctrl-C. Every option is an environment variable; see infra/README.md.
 */
import { ConfigError, ensureDatabase } from '@parley/common';
import { loadStartEnv, option, type StartEnv } from './env';
import { formatChildLine, PREFIX_COLORS } from './log-format';
import { PROCESSES, REPO_ROOT, reachableHost, stages, type ProcessSpec } from './processes';
import { checkNodeVersion, ensureBackingStep, databaseName } from './steps';
import { redactUrl } from './services/local';
import { ServiceError } from './services/types';
import { Steps, Terminal, formatMs } from './terminal';
import { describeExit, portInUse, StartError, Supervisor, waitForHttp, type Child, type ExitInfo } from './supervisor';

const terminal = new Terminal();
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

/** Set once: the reason the process is ending (a signal, or a failure). */
let ending: 'signal' | 'failure' | undefined;
const shutdown = new AbortController();
let supervisor: Supervisor | undefined;
let graceMs = 15_000;

function fail(message: string): void {
  if (ending) return;
  ending = 'failure';
  shutdown.abort();
  terminal.line(terminal.paint(31, `✖ ${message}`));
  void stopChildrenAndExit(1);
}

/**
 * A repeated signal within this long of the first is the same Ctrl-C arriving twice (the terminal
 * signals the whole group and tsx, our parent, may relay it again), not a request to hurry.
 */
const DUPLICATE_SIGNAL_MS = 1000;
let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  if (ending) {
    if (ending === 'signal' && Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
    if (!supervisor?.isStopping && ending === 'failure') return;
    terminal.line(terminal.paint(33, `${signal} again: killing every child now`));
    supervisor?.killAll();
    process.exit(1);
  }
  ending = 'signal';
  firstSignalAt = Date.now();
  shutdown.abort();
  terminal.line(`${signal} received: stopping${supervisor?.children.length ? ' the services' : ''} …`);
  void stopChildrenAndExit(0);
}

async function stopChildrenAndExit(code: number): Promise<never> {
  if (supervisor && supervisor.children.length > 0) {
    const running = supervisor.children.filter((child) => child.running).map((child) => child.spec.name);
    if (running.length > 0 && code !== 0) terminal.line(`stopping ${running.join(', ')} …`);
    const forced = await supervisor.stopAll(graceMs);
    if (forced.length > 0) {
      terminal.line(
        terminal.paint(33, `killed ${forced.join(', ')}: still running ${Math.round(graceMs / 1000)}s after SIGTERM`),
      );
    }
    const summary = supervisor.children.map(
      (child) => `${child.spec.name} (${child.exit ? describeExit(child.exit) : 'unknown'})`,
    );
    terminal.line(`stopped: ${summary.join(', ')}`);
  }
  process.exit(code);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

async function main(): Promise<void> {
  checkNodeVersion();
  const env = loadStartEnv();
  graceMs = env.START_STOP_GRACE_MS;
  const specs = env.START_SERVICES;
  const backing = env.START_BACKING_SERVICES;
  const steps = new Steps(terminal, (backing === 'skip' ? 0 : 4) + specs.length);

  terminal.line(`Starting Parley: ${specs.map((spec) => spec.name).join(', ')}`);
  if (backing !== 'skip') {
    await ensureBackingStep(env, steps, backing === 'ensure');
    if (ending) return;
    await steps.run(
      `database "${databaseName(env.DATABASE_URL)}"`,
      () => ensureDatabase(env.DATABASE_URL),
      (created) => (created ? 'created' : 'exists'),
    );
  }
  if (ending) return;

  const width = Math.max(...specs.map((spec) => spec.name.length));
  const colors = new Map(specs.map((spec, index) => [spec.name, PREFIX_COLORS[index % PREFIX_COLORS.length]!]));
  supervisor = new Supervisor({
    root: REPO_ROOT,
    env: childEnv(env, specs),
    onLine: (child, line) => {
      const lines = formatChildLine(line, {
        name: child.spec.name,
        width,
        format: env.START_LOG_FORMAT,
        color: terminal.color,
        prefixColor: colors.get(child.spec.name),
      });
      for (const out of lines) terminal.line(out);
    },
    onUnexpectedExit: (child: Child, exit: ExitInfo) => {
      const why = child.spawnError
        ? `could not be started: ${child.spawnError.message}`
        : `exited unexpectedly (${describeExit(exit)})`;
      fail(`${child.spec.label} ${why}; stopping the others`);
    },
  });

  for (const stage of stages(specs)) {
    for (const spec of stage) {
      const address = addressOf(env, spec);
      if (address && (await portInUse(address.host, address.port))) {
        throw new StartError(
          `port ${address.port} (${spec.port!.env}) is already in use, so ${spec.label} cannot listen: ` +
            `stop whatever runs there (another \`pnpm start\`?) or set ${spec.port!.env}`,
        );
      }
    }
    if (ending) return;
    terminal.line(`      starting ${stage.map((spec) => spec.label).join(', ')}`);
    const children = stage.map((spec) => supervisor!.spawn(spec));
    await Promise.all(children.map((child) => waitUntilUp(env, steps, child)));
    if (ending) return;
  }

  printUrls(env, specs);
}

async function waitUntilUp(env: StartEnv, steps: Steps, child: Child): Promise<void> {
  const { spec } = child;
  const address = addressOf(env, spec);
  if (!address) {
    steps.done(spec.label, 'started (no HTTP port to check)');
    return;
  }
  const base = `http://${address.host}:${address.port}`;
  const wait = (path: string, intervalMs: number) =>
    waitForHttp(`${base}${path}`, {
      timeoutMs: env.START_TIMEOUT_MS,
      intervalMs,
      child,
      signal: shutdown.signal,
      onWait: (elapsed, last) =>
        terminal.line(`      waiting for ${spec.label} ${path} … ${Math.round(elapsed / 1000)}s (${last})`),
    });
  try {
    const started = Date.now();
    await wait(spec.healthPath ?? '/health', 250);
    const notHere = notStartedSubgraphs(env.START_SERVICES);
    if (spec.readyPath && notHere.length > 0) {
      // Its /ready needs every subgraph; the ones left out may be run by hand, so do not wait on them.
      steps.done(
        spec.label,
        `${base} (${formatMs(Date.now() - started)}); not waiting for ${spec.readyPath}: ` +
          `${notHere.join(', ')} not started here (START_SERVICES), so it answers 503 until they run`,
      );
      return;
    }
    if (spec.readyPath) {
      terminal.line(`      ${spec.label} answers ${spec.healthPath ?? '/health'}; waiting for ${spec.readyPath}`);
      await wait(spec.readyPath, 1000);
    }
    steps.done(
      spec.label,
      `${base}${spec.readyPath ? `, ${spec.readyPath} ok` : ''} (${formatMs(Date.now() - started)})`,
    );
  } catch (error) {
    if (ending) return;
    steps.failed(spec.label);
    throw error;
  }
}

/** Subgraphs in the process list that this run leaves out (the router's /ready needs them all). */
function notStartedSubgraphs(selected: ProcessSpec[]): string[] {
  return PROCESSES.filter((spec) => spec.dir.startsWith('subgraphs/') && !selected.includes(spec)).map(
    (spec) => spec.name,
  );
}

function addressOf(env: StartEnv, spec: ProcessSpec): { host: string; port: number } | undefined {
  if (!spec.port) return undefined;
  const port = option<number>(env, spec.port.env) ?? spec.port.default;
  const host = reachableHost(spec.hostEnv ? option<string>(env, spec.hostEnv) : undefined);
  return { host, port };
}

/**
 * The children's environment: ours, with the values `pnpm start` resolved made explicit so every
 * service agrees on them, and each subgraph's URL for the router (unless set by hand).
 */
function childEnv(env: StartEnv, specs: ProcessSpec[]): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: env.NODE_ENV,
    LOG_LEVEL: env.LOG_LEVEL,
    DATABASE_URL: env.DATABASE_URL,
    REDIS_URL: env.REDIS_URL,
    AMQP_URL: env.AMQP_URL,
  };
  for (const spec of specs) {
    if (!spec.port) continue;
    const address = addressOf(env, spec)!;
    result[spec.port.env] = String(address.port);
    if (spec.urlEnv && !process.env[spec.urlEnv])
      result[spec.urlEnv] = `http://${address.host}:${address.port}${spec.urlPath ?? '/graphql'}`;
  }
  return result;
}

function printUrls(env: StartEnv, specs: ProcessSpec[]): void {
  const router = specs.find((spec) => spec.name === 'router');
  const width = Math.max(10, ...specs.map((spec) => spec.name.length + 1));
  const lines = ['', terminal.paint(1, 'Parley is up.')];
  if (router) {
    const address = addressOf(env, router)!;
    const base = `http://${address.host === '127.0.0.1' ? 'localhost' : address.host}:${address.port}`;
    lines.push(
      `  ${'GraphQL'.padEnd(width)} ${base}/graphql`,
      `  ${'GraphiQL'.padEnd(width)} ${base}/graphql  (open it in a browser)`,
      `  ${'Health'.padEnd(width)} ${base}/health`,
      `  ${'Ready'.padEnd(width)} ${base}/ready`,
    );
  }
  for (const spec of specs) {
    if (spec === router) continue;
    const address = addressOf(env, spec);
    if (address) lines.push(`  ${spec.name.padEnd(width)} http://${address.host}:${address.port}/health`);
  }
  if (router && specs.length > 1) lines.push('  (subgraphs answer only requests the router signed)');
  lines.push(`  ${'Database'.padEnd(width)} ${redactUrl(env.DATABASE_URL)}`, 'Press Ctrl-C to stop.', '');
  for (const line of lines) terminal.line(line);
}

main().catch((error: unknown) => {
  if (ending) return;
  if (error instanceof ConfigError) fail(error.message);
  else if (error instanceof ServiceError || error instanceof StartError) fail(error.message);
  else fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
