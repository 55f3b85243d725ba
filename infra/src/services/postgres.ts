import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { findBinary, urlPort } from './local';
import { describeError, ServiceError, withTimeout, type BackingService, type ProbeResult } from './types';

const ETC = '/etc/postgresql';

/** SQLSTATEs that mean "the server is there but not accepting us yet", not a refusal. */
const STARTING_UP = new Set(['57P03']);
/** SQLSTATEs that still prove the server works: the database itself is created later. */
const ACCEPTABLE = new Set(['3D000']);

export async function probePostgres(url: string, timeoutMs: number): Promise<ProbeResult> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'parley-infra',
  });
  client.on('error', () => undefined);
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        await client.query('select 1');
      })(),
      timeoutMs + 500,
      'PostgreSQL probe',
    );
    return { status: 'ok' };
  } catch (error) {
    return classifyPostgresError(error);
  } finally {
    client.end().catch(() => undefined);
  }
}

export function classifyPostgresError(error: unknown): ProbeResult {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (ACCEPTABLE.has(code)) return { status: 'ok' };
    if (STARTING_UP.has(code)) return { status: 'down', detail: describeError(error) };
    return { status: 'rejected', detail: describeError(error) };
  }
  // The client itself gives up on authentication the server asked for (no password in the URL, ...).
  const message = error instanceof Error ? error.message : String(error);
  if (/password|SASL|SCRAM|authentication/i.test(message)) return { status: 'rejected', detail: describeError(error) };
  return { status: 'down', detail: describeError(error) };
}

export interface PgCluster {
  version: string;
  name: string;
  port: number;
  confDir: string;
}

/** The `port = N` setting of a postgresql.conf (5432 when absent or commented out). */
export function parseConfPort(conf: string): number {
  const match = /^\s*port\s*=\s*'?(\d+)'?/m.exec(conf);
  return match ? Number(match[1]) : 5432;
}

/** The Debian clusters configured under /etc/postgresql (version/name/postgresql.conf). */
export function listClusters(etc: string = ETC): PgCluster[] {
  if (!existsSync(etc)) return [];
  const clusters: PgCluster[] = [];
  for (const version of safeReaddir(etc)) {
    for (const name of safeReaddir(join(etc, version))) {
      const confDir = join(etc, version, name);
      const confFile = join(confDir, 'postgresql.conf');
      if (!existsSync(confFile)) continue;
      clusters.push({ version, name, port: parseConfPort(readFileSync(confFile, 'utf8')), confDir });
    }
  }
  return clusters;
}

/** The cluster serving `port`, newest version first; undefined when none is configured on it. */
export function pickCluster(clusters: PgCluster[], port: number): PgCluster | undefined {
  return clusters
    .filter((cluster) => cluster.port === port)
    .sort((a, b) => Number(b.version) - Number(a.version) || a.name.localeCompare(b.name))[0];
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** Lines that let local TCP connections in without a password (development machines only). */
export const TRUST_LINES = [
  '# Added by Parley infra (pnpm services:ensure) after installing PostgreSQL: local development only.',
  'host    all             all             127.0.0.1/32            trust',
  'host    all             all             ::1/128                 trust',
];

export function postgresService(url: string): BackingService {
  const port = urlPort(url, 5432);
  const cluster = () => {
    const clusters = listClusters();
    const found = pickCluster(clusters, port);
    if (found) return found;
    const known = clusters.map((c) => `${c.version}/${c.name} on port ${c.port}`).join(', ') || 'none';
    const newest = clusters.map((c) => c.version).sort((a, b) => Number(b) - Number(a))[0] ?? '<version>';
    throw new ServiceError(
      `no PostgreSQL cluster is configured on port ${port} (found: ${known}): set DATABASE_URL to a configured port, ` +
        `or create one with \`pg_createcluster ${newest} parley --port ${port}\``,
    );
  };
  return {
    name: 'PostgreSQL',
    envVar: 'DATABASE_URL',
    url,
    aptPackage: 'postgresql',
    probe: (timeoutMs) => probePostgres(url, timeoutMs),
    isInstalled: () => findBinary('pg_ctlcluster') !== undefined && listClusters().length > 0,
    startCommand: () => {
      const { version, name } = cluster();
      return {
        command: findBinary('pg_ctlcluster') ?? 'pg_ctlcluster',
        args: ['--skip-systemctl-redirect', version, name, 'start'],
      };
    },
    async afterInstall(say) {
      // A fresh Debian cluster asks for a password over TCP; the default DATABASE_URL has none.
      if (new URL(url).password) return;
      let target: PgCluster;
      try {
        target = cluster();
      } catch {
        return;
      }
      const hba = join(target.confDir, 'pg_hba.conf');
      try {
        const current = readFileSync(hba, 'utf8');
        if (current.includes(TRUST_LINES[0]!)) return;
        writeFileSync(hba, `${TRUST_LINES.join('\n')}\n${current}`);
        say(`allowed passwordless connections from 127.0.0.1 and ::1 in ${hba} (DATABASE_URL has no password)`);
      } catch (error) {
        say(`could not update ${hba}: ${describeError(error)}`);
      }
    },
  };
}
