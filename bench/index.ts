import { parseArgs } from 'node:util';
import { env as transformersEnv, LogLevel } from '@huggingface/transformers';
import { machineFacts } from './support/machine';
import { renderSectionForConsole, type BenchRun } from './support/report';
import { writeResults } from './support/results-file';
import type { Section, SectionResult } from './support/section';
import { seconds } from './support/progress';
import { sendPathSection, type SendPathBenchOptions } from './send-path/send-path.section';
import { fanOutSection, type SubscriptionsBenchOptions } from './subscriptions/fan-out.section';
import {
  BENCH_MODEL,
  GENERATE_COMMAND,
  TINY_MODEL,
  benchModelPresent,
  generateBenchModel,
  translatorSections,
  type TranslatorBenchOptions,
} from './translator';
import { collectGarbage } from './support/collect-garbage';

const USAGE = `pnpm bench [selector...] [options]

Selectors: a group (translator, send-path, subscriptions), a section id (cache-hit) or its prefix (micro-batching);
none: everything.

Options:
  --generate-model      build translator/models/${BENCH_MODEL}/ first (${GENERATE_COMMAND})
  --rounds N            timed rounds per throughput measurement (default 3)
  --max-new-tokens N    tokens generated per sentence at most (default 32)
  --lookups N           timed cache lookups (default 10000)
  --sends N             timed sendMessage calls, and raw sends, in the send-path section (default 2000)
  --concurrency N       sendMessage calls in flight at once: the send-path section and the subscriptions burst (default 16)
  --sockets N           subscribed sockets in the subscriptions section, router and raw server (default 2000)
  --messages N          messages of the steady stream in the subscriptions section (default 10)
  --rate R              messages per second of that stream and of the per-subscriber run; may be a fraction (default 0.5)
  --burst N             messages sent back to back (and broadcast raw) for the delivery ceiling (default 60)
  --naive-sockets N     sockets on the per-subscriber (SUBSCRIPTION_GROUPING=false) router (default 160)
  --naive-messages N    messages through the per-subscriber router (default 2)
  --no-write            print only; do not write bench/results/
  --list                list the sections and exit
Environment: REDIS_URL (default redis://127.0.0.1:6379), AMQP_URL (default amqp://guest:guest@127.0.0.1:5672),
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/parley_bench; created when missing).`;

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

/**
 * The section registry: every group of sections the bench knows, in run order. A new group (the
 * send-path one: sendMessage through the router vs a raw insert + publish with confirms) is one more
 * entry here returning its Section[].
 */
function registry(
  translator: TranslatorBenchOptions,
  sendPath: SendPathBenchOptions,
  subscriptions: SubscriptionsBenchOptions,
): Section[] {
  return [...translatorSections(translator), sendPathSection(sendPath), fanOutSection(subscriptions)];
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

function selects(selectors: string[], section: Section): boolean {
  if (selectors.length === 0) return true;
  return selectors.some(
    (s) => s === section.group || s === section.id || section.id.startsWith(`${s}/`) || section.id.endsWith(`/${s}`),
  );
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'generate-model': { type: 'boolean', default: false },
      rounds: { type: 'string' },
      'max-new-tokens': { type: 'string' },
      lookups: { type: 'string' },
      sends: { type: 'string' },
      concurrency: { type: 'string' },
      sockets: { type: 'string' },
      messages: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'naive-sockets': { type: 'string' },
      'naive-messages': { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const options: TranslatorBenchOptions = {
    rounds: positiveInt(values.rounds, 3, 'rounds'),
    maxNewTokens: positiveInt(values['max-new-tokens'], 32, 'max-new-tokens'),
    batchSize: 16,
    lookups: positiveInt(values.lookups, 10_000, 'lookups'),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };

  // transformers.js warns on every MarianTokenizer load that its tokenizer is not the "fast" one: noise here.
  transformersEnv.logLevel = LogLevel.ERROR;
  if (values['generate-model']) await generateBenchModel();
  const sendPath: SendPathBenchOptions = {
    sends: positiveInt(values.sends, 2000, 'sends'),
    concurrency: positiveInt(values.concurrency, 16, 'concurrency'),
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_bench',
    amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  };
  const sockets = positiveInt(values.sockets, 2000, 'sockets');
  const subscriptions: SubscriptionsBenchOptions = {
    sockets,
    messages: positiveInt(values.messages, 10, 'messages'),
    rate: positiveNumber(values.rate, 0.5, 'rate'),
    burst: positiveInt(values.burst, 60, 'burst'),
    burstConcurrency: sendPath.concurrency,
    naiveSockets: Math.min(sockets, positiveInt(values['naive-sockets'], 160, 'naive-sockets')),
    naiveMessages: positiveInt(values['naive-messages'], 2, 'naive-messages'),
    databaseUrl: sendPath.databaseUrl,
    amqpUrl: sendPath.amqpUrl,
  };
  const all = registry(options, sendPath, subscriptions);
  if (values.list) {
    for (const section of all) console.log(`${section.group.padEnd(12)} ${section.id.padEnd(40)} ${section.title}`);
    return 0;
  }
  const selected = all.filter((section) => selects(positionals, section));
  if (selected.length === 0) {
    console.error(`no section matches ${positionals.join(' ')}; sections: ${all.map((s) => s.id).join(', ')}`);
    return 2;
  }

  const machine = machineFacts();
  console.log(
    `${machine.hostname}: ${machine.cpuModel}, ${machine.logicalCores} cores, ${machine.memoryGiB} GiB, ` +
      `load ${machine.loadAverage.join('/')}, Node ${machine.node}, onnxruntime-node ${machine.onnxruntimeNode}, ` +
      `commit ${machine.gitCommit.slice(0, 10)}${machine.gitDirty ? '+' : ''}`,
  );
  if (benchModelPresent()) {
    console.log(`models: ${BENCH_MODEL} (opus-mt dimensions) and ${TINY_MODEL}`);
  } else {
    console.log(
      `models: ${TINY_MODEL} only: it is so small that per-call overhead dominates. For real opus-mt dimensions ` +
        `create translator/models/${BENCH_MODEL}/ with \`pnpm bench --generate-model\` or \`${GENERATE_COMMAND}\`.`,
    );
  }

  const results: SectionResult[] = [];
  for (const section of selected) {
    const started = performance.now();
    const progress = (message: string) => console.log(`[${section.id}] ${message}`);
    progress('starting');
    collectGarbage();
    try {
      results.push(await section.run({ progress }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({
        id: section.id,
        title: section.title,
        tables: [],
        checks: [],
        notes: [],
        errors: [`section failed: ${message}`],
        data: {},
      });
    }
    progress(`done in ${seconds(performance.now() - started)}`);
    console.log(renderSectionForConsole(results.at(-1)!));
  }

  const checks = results.flatMap((r) => r.checks);
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.id}: ${e}`));
  console.log(
    `\n${checks.filter((c) => c.pass).length}/${checks.length} targets met` +
      (errors.length > 0 ? `; ${errors.length} error(s):\n  ${errors.join('\n  ')}` : ''),
  );

  if (!values['no-write']) {
    const run: BenchRun = {
      command: ['pnpm bench', ...process.argv.slice(2)].join(' '),
      machine,
      options: { ...options, redisUrl: undefined, selectors: positionals },
      sections: results,
    };
    const files = await writeResults(run, positionals);
    console.log(`results: ${files.join(', ')}`);
  }
  // Missed targets are findings, not failures; a section that could not run or compared unequal things is.
  return errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
