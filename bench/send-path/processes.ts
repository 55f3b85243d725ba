import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { DEV_SIGNING_SECRET } from '@parley/common';
import { childCpuMeter, ChildServer, cpuMsOfStat, ticksToMs } from '../subscriptions/child';

/**
 * The send path as production runs it: the subgraphs (users, conversations, messages with its
 * outbox relay, translations; the translator left out) in one child process, the router in
 * another, the load generator in the bench process. The child entries are the fan-out section's
 * (`bench/subscriptions/subgraphs-process.ts`, `router-process.ts`); `BENCH_CPU_PROF_DIR=<dir>`
 * writes a V8 CPU profile of each child when it exits (child.ts).
 */
export interface SendPathProcesses {
  router: ChildServer;
  subgraphs: ChildServer;
  routerUrl: string;
  messagesUrl: string;
  /** The secret the router signs subgraph requests with (for the router-less row). */
  signingSecret: string;
  stop(): Promise<void>;
}

export async function startSendPathProcesses(options: {
  databaseUrl: string;
  amqpUrl: string;
  progress?: (message: string) => void;
}): Promise<SendPathProcesses> {
  const stackEnv = {
    DATABASE_URL: options.databaseUrl,
    AMQP_URL: options.amqpUrl,
    // BENCH_LOG_LEVEL=error (with BENCH_CHILD_OUTPUT=inherit) when diagnosing a run.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  };
  const subgraphs = await ChildServer.start('./subgraphs-process.ts', {
    ...(process.env as Record<string, string>),
    BENCH_STACK_ENV: JSON.stringify(stackEnv),
  });
  let router: ChildServer | undefined;
  try {
    const env = await subgraphs.request<Record<string, string>>('env');
    options.progress?.(`subgraphs process ${subgraphs.pid} ready`);
    router = await ChildServer.start('./router-process.ts', { ...env, ROUTER_PORT: '0' });
    options.progress?.(`router process ${router.pid} ready at ${router.url}`);
    const running = router;
    return {
      router: running,
      subgraphs,
      routerUrl: running.url,
      messagesUrl: env.MESSAGES_URL ?? subgraphs.url,
      signingSecret: env.SUBGRAPH_SIGNING_SECRET ?? DEV_SIGNING_SECRET,
      async stop() {
        await running.stop();
        await subgraphs.stop();
      },
    };
  } catch (error) {
    await router?.stop();
    await subgraphs.stop();
    throw error;
  }
}

/** CPU time (user + system, ms) used over an interval by each process of the send path, and by the whole machine. */
export interface CpuUse {
  wallMs: number;
  routerMs: number;
  subgraphsMs: number;
  /** This process: the load generator (and the raw sender). */
  benchMs: number;
  /**
   * Every CPU of the machine, busy time (/proc/stat: user, nice, system, irq, softirq): the three Node
   * processes, PostgreSQL, Redis, RabbitMQ, and whatever else runs on the machine at the time.
   */
  machineMs: number;
  /**
   * The services' processes, all of them (`/proc/<pid>/stat` by command name): every PostgreSQL
   * backend, whoever's; RabbitMQ's Erlang VM; Redis. A process that exits within the interval is missed.
   */
  servicesMs: Record<Service, number>;
}

type Service = 'postgres' | 'rabbitmq' | 'redis';
const SERVICE_COMMANDS: Record<string, Service> = {
  postgres: 'postgres',
  'beam.smp': 'rabbitmq',
  'redis-server': 'redis',
};

/** Starts counting; the returned function gives the CPU used since, per process. */
export async function cpuMeter(processes: SendPathProcesses): Promise<() => Promise<CpuUse>> {
  const readMachine = () => Promise.all([machineBusyMs(), servicesCpuMs()]);
  const [machine, services] = await readMachine();
  const children = await childCpuMeter({ router: processes.router, subgraphs: processes.subgraphs });
  return async () => {
    const { wallMs, benchMs, childMs } = await children();
    const [machineNow, servicesNow] = await readMachine();
    const servicesMs: Record<Service, number> = { postgres: 0, rabbitmq: 0, redis: 0 };
    for (const [pid, { service, ms }] of servicesNow) servicesMs[service] += ms - (services.get(pid)?.ms ?? 0);
    return {
      wallMs,
      routerMs: childMs.router,
      subgraphsMs: childMs.subgraphs,
      benchMs,
      machineMs: machineNow - machine,
      servicesMs,
    };
  };
}

/** Busy time of all CPUs since boot, from the first line of /proc/stat, in ms; 0 where there is none. */
async function machineBusyMs(): Promise<number> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal ... (guest time is counted inside user)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    return ticksToMs(user + nice + system + irq + softirq);
  } catch {
    return 0;
  }
}

/** CPU time (user + system, ms) of every process of the services, by pid. */
async function servicesCpuMs(): Promise<Map<string, { service: Service; ms: number }>> {
  const found = new Map<string, { service: Service; ms: number }>();
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const service = SERVICE_COMMANDS[stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))];
      if (!service) return;
      found.set(pid, { service, ms: cpuMsOfStat(stat) });
    }),
  );
  return found;
}

/**
 * VACUUMs the messages subgraph's queue-like tables. Every send inserts an outbox row that the relay
 * deletes moments later, and bumps its conversation's counter row: without vacuuming, dead rows pile
 * up and the relay's select (oldest rows first) reads more pages every time. Production's
 * autovacuum takes care of that; the CI configuration of this machine's PostgreSQL turns it off
 * (`autovacuum = off`), so a bench database would grow slower run after run.
 */
export async function vacuumMessagesTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('vacuum analyze "messages"."outbox", "messages"."conversation_counter"');
  } finally {
    await client.end();
  }
}
