import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '@parley/common';
import { createGroup } from '../../e2e/support/messaging';
import { signUpUser } from '../../e2e/support/users';
import { closedLoop } from './load';
import { bearer, LoadClient } from './load-client';
import { cpuMeter, startSendPathProcesses, vacuumMessagesTables } from './processes';

/**
 * Where a send's CPU goes: the send-path section's spread load (same processes, same concurrency),
 * with each process's CPU time per send and, with --out <dir>, a V8 CPU profile of the router and
 * of the subgraphs process (child.ts's BENCH_CPU_PROF_DIR, written when the children exit), then
 * the functions with the most self time during the timed sends only (start-up, sign-up and
 * warm-up excluded). Not part of `pnpm bench`; a developer's tool:
 *
 *   pnpm exec tsx bench/send-path/profile.ts --sends 4000 --out /tmp/send-prof
 *   pnpm exec tsx bench/send-path/profile.ts --target messages   # signed, straight to the subgraph
 *
 * The profiles load in Chrome DevTools (Performance, "Load profile"). V8 samples on a timer, so
 * time the thread spent off the CPU inside a call (a socket write that woke another process on this
 * two-core machine) counts as that call's: writev and writeBuffer look far bigger than they are.
 * The CPU ms per send it prints come from /proc, as in the section. For on-CPU time only, run
 * `perf record -e cpu-clock -g -p <pid>` on the pids it prints while it sends (NODE_OPTIONS=--perf-prof
 * names the JavaScript frames; the children write their jit-<pid>.dump into the repository root).
 */
const { values } = parseArgs({
  options: {
    sends: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    target: { type: 'string', default: 'router' },
    out: { type: 'string' },
    top: { type: 'string', default: '30' },
  },
});
const sends = Number(values.sends);
const concurrency = Number(values.concurrency);
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }`;

if (values.out) {
  mkdirSync(values.out, { recursive: true });
  process.env.BENCH_CPU_PROF_DIR = values.out;
}
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_bench';
const processes = await startSendPathProcesses({
  databaseUrl,
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
});
const pids = { router: processes.router.pid, subgraphs: processes.subgraphs.pid };
/** The timed sends, in the clock of V8's profiles (monotonic, microseconds). */
let window: { from: number; to: number } | undefined;
try {
  const [alice, bob] = await Promise.all([
    signUpUser(processes.routerUrl, 'en', 'alice'),
    signUpUser(processes.routerUrl, 'fr', 'bob'),
  ]);
  const conversations = await Promise.all(Array.from({ length: concurrency }, () => createGroup(alice, [bob])));
  const client =
    values.target === 'messages'
      ? new LoadClient(
          processes.messagesUrl,
          (body) => signRequest(processes.signingSecret, { userId: alice.id, clientIp: '' }, body),
          concurrency,
        )
      : new LoadClient(processes.routerUrl, bearer(alice.token), concurrency);
  const sendOne = async (n: number) => {
    await client.data(SEND, {
      input: {
        conversationId: conversations[n % conversations.length]!.id,
        content: 'The quarterly review moved to Thursday at three.',
        clientMessageId: randomUUID(),
        originalLanguage: 'en',
      },
    });
  };
  await closedLoop(Number(values.warmup), concurrency, sendOne);
  await vacuumMessagesTables(databaseUrl);
  console.log(
    `timed sends start: router pid ${pids.router}, subgraphs pid ${pids.subgraphs}, bench pid ${process.pid}`,
  );
  const meter = await cpuMeter(processes);
  const from = Number(process.hrtime.bigint() / 1000n);
  const result = await closedLoop(sends, concurrency, sendOne);
  window = { from, to: Number(process.hrtime.bigint() / 1000n) };
  const cpu = await meter();
  const perSend = (ms: number) => (ms / sends).toFixed(3);
  console.log(
    `${values.target}, ${sends} sends, ${concurrency} in flight: ${result.perSecond.toFixed(1)}/s, ` +
      `p50 ${result.latency.p50Ms.toFixed(1)} ms, errors ${result.errors}; CPU ms per send: router ${perSend(cpu.routerMs)}, ` +
      `subgraphs ${perSend(cpu.subgraphsMs)}, bench ${perSend(cpu.benchMs)}, PostgreSQL ${perSend(cpu.servicesMs.postgres)}, ` +
      `RabbitMQ ${perSend(cpu.servicesMs.rabbitmq)}, Redis ${perSend(cpu.servicesMs.redis)}, machine ${perSend(cpu.machineMs)}`,
  );
  client.close();
} finally {
  await processes.stop();
}

if (values.out && window) {
  for (const [name, pid] of Object.entries(pids)) {
    const file = readdirSync(values.out).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`));
    if (!file) {
      console.log(`${name}: no profile for pid ${pid} in ${values.out}`);
      continue;
    }
    console.log(`\n${name} (${join(values.out, file)}), timed sends only:`);
    console.log(summarize(JSON.parse(readFileSync(join(values.out, file), 'utf8')) as CpuProfile, window, sends));
  }
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function, and per package, of the samples inside `window`. */
function summarize(profile: CpuProfile, window: { from: number; to: number }, operations: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let at = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < window.from || at > window.to) continue;
    const node = byId.get(profile.samples[i]!)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += delta;
    const where = url.replace(/^file:\/\//, '').replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const group = pkg ?? (url.startsWith('node:') ? 'node:*' : url === '' ? functionName : 'parley');
    byPackage.set(group, (byPackage.get(group) ?? 0) + delta);
  }
  const ms = (micros: number) => `${(micros / 1000 / operations).toFixed(3)} ms/send`;
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, micros]) => `  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${ms(micros)}  ${key}`)
      .join('\n');
  return (
    `sampled (not idle): ${ms(total)}\nby package:\n${top(byPackage, 15)}\n` +
    `by function (self):\n${top(self, Number(values.top))}`
  );
}
