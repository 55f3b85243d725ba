import type { EnsureEnv } from './env';
import { backingServices, ensureServices, redactUrl, ServiceError, type EnsureOutcome } from './services';
import { formatMs, type Steps } from './terminal';

/** The Node version `pnpm start` and its children need (the root's `node` devDependency is 22). */
export const MIN_NODE_MAJOR = 22;

export function checkNodeVersion(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    throw new ServiceError(
      `Node ${version} is too old (need ${MIN_NODE_MAJOR}+): run through pnpm (\`pnpm start\`), which uses the ` +
        'node devDependency, or `source scripts/toolchain.sh` first',
    );
  }
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

const OUTCOMES: Record<EnsureOutcome, string> = {
  running: 'running',
  started: 'started',
  installed: 'installed and started',
};

/**
 * One numbered step per backing service. `ensure` starts/installs local servers as needed;
 * otherwise each is only probed.
 */
export async function ensureBackingStep(env: EnsureEnv, steps: Steps, ensure: boolean): Promise<void> {
  const services = backingServices(env);
  const say = (line: string) => steps.say(line);
  if (!ensure) {
    for (const service of services) {
      await steps.run(
        `${service.name} ${redactUrl(service.url)}`,
        async () => {
          const result = await service.probe(2000);
          if (result.status !== 'ok') {
            throw new ServiceError(
              `${service.name} at ${redactUrl(service.url)} ${result.status === 'down' ? 'does not answer' : 'refused the connection'} ` +
                `(${result.detail}); START_BACKING_SERVICES=check starts nothing: start it, or fix ${service.envVar}`,
            );
          }
        },
        () => 'running',
      );
    }
    return;
  }
  await ensureServices(
    services,
    { timeoutMs: env.START_TIMEOUT_MS, autoInstall: env.START_AUTO_INSTALL, say },
    async (service, run) => {
      await steps.run(`${service.name} ${redactUrl(service.url)}`, run, (result) =>
        result.outcome === 'running' ? '' : `(${OUTCOMES[result.outcome]} in ${formatMs(result.ms)})`,
      );
    },
  );
}
