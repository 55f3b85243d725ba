/**
 * What `ensureService` does about one backing service, decided from facts alone so the policy can
 * be tested without touching a server: use it when it answers; never start or install anything
 * for a URL that points at another machine; start a local server that is installed but stopped;
 * install it first when we are allowed to (root with apt-get); otherwise give up with the command
 * the operator has to run.
 */
export interface ServiceFacts {
  /** The server answered the probe (at protocol level, even if it then refused our credentials). */
  answers: boolean;
  /** The URL's host is this machine. */
  isLocal: boolean;
  /** The server's binaries / cluster configuration are present on this machine. */
  installed: boolean;
  /** We may install packages here: running as root, apt-get available, auto-install not turned off. */
  canInstall: boolean;
}

export type ServiceAction =
  | { kind: 'use' }
  | { kind: 'start' }
  | { kind: 'install-then-start' }
  | { kind: 'fail'; reason: 'remote-unreachable' | 'not-installed' };

export function decideAction(facts: ServiceFacts): ServiceAction {
  if (facts.answers) return { kind: 'use' };
  if (!facts.isLocal) return { kind: 'fail', reason: 'remote-unreachable' };
  if (facts.installed) return { kind: 'start' };
  if (facts.canInstall) return { kind: 'install-then-start' };
  return { kind: 'fail', reason: 'not-installed' };
}

export interface InstallHintContext {
  /** Display names of the services that are missing, e.g. ['PostgreSQL', 'RabbitMQ']. */
  names: string[];
  /** Their Debian packages, e.g. ['postgresql', 'rabbitmq-server']. */
  packages: string[];
  hasApt: boolean;
  isRoot: boolean;
  /** The env variables that would point at a server elsewhere, e.g. ['DATABASE_URL']. */
  envVars: string[];
}

/** The one line printed when a local server is missing and we may not install it. */
export function notInstalledMessage(context: InstallHintContext): string {
  const names = joinNames(context.names);
  const verb = context.names.length > 1 ? 'are' : 'is';
  const elsewhere = `or set ${joinNames(context.envVars)} to a running server`;
  if (context.hasApt) {
    const sudo = context.isRoot ? '' : 'sudo ';
    return (
      `${names} ${verb} not installed on this machine: run \`${sudo}apt-get install -y ${context.packages.join(' ')}\` ` +
      `then \`pnpm services:ensure\` (${elsewhere})`
    );
  }
  return (
    `${names} ${verb} not installed on this machine and apt-get is not available: install ` +
    `${context.packages.join(', ')} with this system's package manager and start ${context.names.length > 1 ? 'them' : 'it'}, ${elsewhere}`
  );
}

/** The one line printed when a server on another machine does not answer. */
export function remoteUnreachableMessage(name: string, displayUrl: string, envVar: string, detail: string): string {
  return (
    `${name} at ${displayUrl} does not answer (${detail}); it is not on this machine, so it is not started from here: ` +
    `start it there, or fix ${envVar}`
  );
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
