import { decideAction, notInstalledMessage, remoteUnreachableMessage } from './decide';
import { findBinary, formatCommand, isLocalUrl, isRoot, redactUrl, runCommand } from './local';
import { ServiceError, type BackingService, type ProbeResult } from './types';

export interface EnsureOptions {
  /** How long a server we started may take to answer. */
  timeoutMs: number;
  /** How long one probe may take. */
  probeTimeoutMs?: number;
  /** Install missing servers with apt-get when running as root. */
  autoInstall: boolean;
  /** Progress lines (starting, waiting, installing). */
  say: (line: string) => void;
}

export type EnsureOutcome = 'running' | 'started' | 'installed';

export interface EnsureResult {
  outcome: EnsureOutcome;
  ms: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 2000;
const POLL_MS = 500;
const WAIT_REPORT_MS = 5000;
const START_COMMAND_TIMEOUT_MS = 120_000;
const APT_TIMEOUT_MS = 20 * 60_000;

/** apt-get is here and we may use it. */
export function canInstallHere(autoInstall: boolean): boolean {
  return autoInstall && isRoot() && findBinary('apt-get') !== undefined;
}

/**
 * Makes sure `service` answers: uses it when it does; starts a stopped local server; installs a
 * missing one first when running as root with apt-get; otherwise throws a ServiceError whose
 * message is the one line the operator needs. Remote URLs are only ever probed.
 */
export async function ensureService(
  service: BackingService,
  options: EnsureOptions,
  firstProbe?: ProbeResult,
): Promise<EnsureResult> {
  const started = Date.now();
  const probeTimeout = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probe = firstProbe ?? (await service.probe(probeTimeout));
  if (probe.status === 'ok') return { outcome: 'running', ms: Date.now() - started };
  if (probe.status === 'rejected') throw rejectedError(service, probe.detail);

  const action = decideAction({
    answers: false,
    isLocal: isLocalUrl(service.url),
    installed: service.isInstalled(),
    canInstall: canInstallHere(options.autoInstall),
  });
  switch (action.kind) {
    case 'use':
      return { outcome: 'running', ms: Date.now() - started };
    case 'fail':
      if (action.reason === 'remote-unreachable') {
        throw new ServiceError(
          remoteUnreachableMessage(service.name, redactUrl(service.url), service.envVar, probe.detail),
        );
      }
      throw new ServiceError(notInstalledMessage(installHint([service])));
    case 'install-then-start':
      await installServices([service], options.say);
      await startAndWait(service, options, probeTimeout);
      return { outcome: 'installed', ms: Date.now() - started };
    case 'start':
      await startAndWait(service, options, probeTimeout);
      return { outcome: 'started', ms: Date.now() - started };
  }
}

/**
 * Ensures several services, in order. Missing servers are installed together in one apt-get run
 * first (or reported together in one line when we may not install them).
 */
export async function ensureServices(
  services: BackingService[],
  options: EnsureOptions,
  onEach: (service: BackingService, run: () => Promise<EnsureResult>) => Promise<void>,
): Promise<void> {
  const probeTimeout = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probes = await Promise.all(services.map((service) => service.probe(probeTimeout)));
  const canInstall = canInstallHere(options.autoInstall);
  const missing = services.filter((service, index) => {
    const action = decideAction({
      answers: probes[index]!.status !== 'down',
      isLocal: isLocalUrl(service.url),
      installed: service.isInstalled(),
      canInstall,
    });
    return action.kind === 'install-then-start' || (action.kind === 'fail' && action.reason === 'not-installed');
  });
  const installed = new Set<BackingService>();
  if (missing.length > 0) {
    if (!canInstall) throw new ServiceError(notInstalledMessage(installHint(missing)));
    await installServices(missing, options.say);
    for (const service of missing) installed.add(service);
  }
  for (const [index, service] of services.entries()) {
    await onEach(service, async () => {
      const result = await ensureService(service, options, probes[index]);
      return installed.has(service) ? { ...result, outcome: 'installed' } : result;
    });
  }
}

function installHint(services: BackingService[]) {
  return {
    names: services.map((service) => service.name),
    packages: services.map((service) => service.aptPackage),
    hasApt: findBinary('apt-get') !== undefined,
    isRoot: isRoot(),
    envVars: services.map((service) => service.envVar),
  };
}

function rejectedError(service: BackingService, detail: string): ServiceError {
  return new ServiceError(
    `${service.name} at ${redactUrl(service.url)} answered but refused the connection (${detail}): fix ${service.envVar}`,
  );
}

async function installServices(services: BackingService[], say: (line: string) => void): Promise<void> {
  const apt = findBinary('apt-get') ?? 'apt-get';
  const packages = services.map((service) => service.aptPackage);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  say(
    `${services.map((s) => s.name).join(', ')} not installed; installing: apt-get install -y ${packages.join(' ')} (takes a few minutes)`,
  );
  const heartbeat = startHeartbeat(say, 'still installing');
  try {
    const update = await runCommand(apt, ['update', '-q'], { env, timeoutMs: APT_TIMEOUT_MS });
    if (update.code !== 0)
      say(`apt-get update exited with ${update.code ?? update.signal}: ${update.tail} (trying the install anyway)`);
    const install = await runCommand(apt, ['install', '-y', '-q', ...packages], { env, timeoutMs: APT_TIMEOUT_MS });
    if (install.code !== 0) {
      throw new ServiceError(
        `\`apt-get install -y ${packages.join(' ')}\` failed (exit ${install.code ?? install.signal}): ${install.tail}`,
      );
    }
  } finally {
    clearInterval(heartbeat);
  }
  say(`installed ${packages.join(' ')}`);
  for (const service of services) await service.afterInstall?.(say);
}

async function startAndWait(service: BackingService, options: EnsureOptions, probeTimeout: number): Promise<void> {
  const { command, args } = service.startCommand();
  const shown = formatCommand(command.replace(/^.*\//, ''), args);
  options.say(`${service.name} is not running; starting it: ${shown}`);
  let result;
  try {
    result = await runCommand(command, args, { timeoutMs: START_COMMAND_TIMEOUT_MS });
  } catch (error) {
    throw new ServiceError(`could not run \`${shown}\` to start ${service.name}: ${(error as Error).message}`);
  }
  if (result.code !== 0) {
    const hint = isRoot() ? '' : `; run \`sudo ${shown}\``;
    throw new ServiceError(
      `could not start ${service.name}: \`${shown}\` exited with ${result.code ?? result.signal}` +
        `${result.tail ? ` (${result.tail})` : ''}${hint}`,
    );
  }
  await waitUntilAnswering(service, options.timeoutMs, probeTimeout, options.say, shown);
}

/** Polls the probe until the server answers; reports every few seconds while it waits. */
export async function waitUntilAnswering(
  service: BackingService,
  timeoutMs: number,
  probeTimeout: number,
  say: (line: string) => void,
  startedWith: string,
): Promise<void> {
  const started = Date.now();
  let lastReport = started;
  let last: ProbeResult = { status: 'down', detail: 'not probed yet' };
  while (Date.now() - started < timeoutMs) {
    last = await service.probe(Math.min(probeTimeout, Math.max(timeoutMs - (Date.now() - started), 100)));
    if (last.status === 'ok') return;
    if (last.status === 'rejected') throw rejectedError(service, last.detail);
    if (Date.now() - lastReport >= WAIT_REPORT_MS) {
      lastReport = Date.now();
      say(`waiting for ${service.name} … ${Math.round((Date.now() - started) / 1000)}s (${last.detail})`);
    }
    await sleep(POLL_MS);
  }
  throw new ServiceError(
    `${service.name} did not answer at ${redactUrl(service.url)} within ${Math.round(timeoutMs / 1000)}s after \`${startedWith}\` ` +
      `(last: ${'detail' in last ? last.detail : 'no answer'}); raise START_TIMEOUT_MS or check its logs`,
  );
}

function startHeartbeat(say: (line: string) => void, what: string): NodeJS.Timeout {
  const started = Date.now();
  const timer = setInterval(() => say(`${what} … ${Math.round((Date.now() - started) / 1000)}s`), 15_000);
  timer.unref();
  return timer;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
