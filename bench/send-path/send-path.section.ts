import { randomUUID } from 'node:crypto';
import { createGroup } from '../../e2e/support/messaging';
import { startStack } from '../../e2e/support/stack';
import { signUpUser } from '../../e2e/support/users';
import { throttledProgress } from '../support/progress';
import { formatNumber } from '../support/report';
import { check, type Section } from '../support/section';
import { round } from '../support/stats';
import { closedLoop, type LoadResult } from './load';
import { openRawSender } from './raw-ceiling';

export interface SendPathBenchOptions {
  /** Timed sends per side. */
  sends: number;
  /** Requests in flight at once, both sides. */
  concurrency: number;
  databaseUrl: string;
  amqpUrl: string;
}

const TARGET_RATIO = 0.4;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }`;

/**
 * sendMessage through the router (JWT check, query plan, signed call to the messages subgraph, its
 * membership call to conversations, one transaction writing the seq counter, the message and the
 * outbox row; the relay publishing to RabbitMQ with confirms in the background) against the raw
 * ceiling of one INSERT plus one confirmed publish per message. Every service runs in this one
 * process, as in the e2e suite; the translator is left out so inference does not compete for the CPU.
 */
export function sendPathSection(options: SendPathBenchOptions): Section {
  const id = 'send-path';
  return {
    group: 'send-path',
    id,
    title: 'sendMessage through the router vs raw insert + confirmed publish',
    async run({ progress }) {
      progress('starting the stack (router and subgraphs in this process, translator left out)');
      const stack = await startStack({
        translator: 'none',
        env: { DATABASE_URL: options.databaseUrl, AMQP_URL: options.amqpUrl, LOG_LEVEL: 'silent' },
      });
      let routed: LoadResult;
      let hot: LoadResult;
      let raw: LoadResult;
      let drainMs = 0;
      let drained = false;
      try {
        const [alice, bob] = await Promise.all([
          signUpUser(stack.routerUrl, 'en', 'alice'),
          signUpUser(stack.routerUrl, 'fr', 'bob'),
        ]);
        // Spread: each send goes to one of `concurrency` conversations, as a busy server sees it.
        // Hot: every send to one conversation, whose seq counter row serialises them (the room limit).
        const conversations = await Promise.all(
          Array.from({ length: options.concurrency }, () => createGroup(alice, [bob])),
        );
        const sendTo = (conversationId: string) => async () => {
          await alice.client.data(SEND, {
            input: {
              conversationId,
              content: 'The quarterly review moved to Thursday at three.',
              clientMessageId: randomUUID(),
              originalLanguage: 'en',
            },
          });
        };
        const spreadOne = (n: number) => sendTo(conversations[n % conversations.length]!.id)();
        const hotOne = sendTo(conversations[0]!.id);
        progress('warming up the send path');
        await closedLoop(Math.min(200, options.sends), options.concurrency, spreadOne);
        routed = await closedLoop(
          options.sends,
          options.concurrency,
          spreadOne,
          throttledProgress(progress, 'sendMessage, spread', options.sends),
        );
        hot = await closedLoop(
          Math.ceil(options.sends / 2),
          options.concurrency,
          hotOne,
          throttledProgress(progress, 'sendMessage, one conversation', Math.ceil(options.sends / 2)),
        );
        // The relay publishes behind the sends; how long the outbox takes to empty tells whether it keeps up.
        const drainStarted = performance.now();
        const relay = await waitForOutbox(options.databaseUrl);
        drainMs = performance.now() - drainStarted;
        drained = relay;
        if (!relay) progress('the outbox did not drain within 60 s');

        progress('raw ceiling: INSERT + publish with confirms');
        const rawSender = await openRawSender(options.databaseUrl, options.amqpUrl);
        try {
          const rawOne = (n: number) =>
            rawSender.send(
              conversations[n % conversations.length]!.id,
              alice.id,
              'The quarterly review moved to Thursday at three.',
            );
          await closedLoop(Math.min(200, options.sends), options.concurrency, rawOne);
          raw = await closedLoop(
            options.sends,
            options.concurrency,
            rawOne,
            throttledProgress(progress, 'raw', options.sends),
          );
        } finally {
          await rawSender.close();
        }
      } finally {
        await stack.stop();
      }
      const ratio = routed.perSecond / raw.perSecond;
      const row = (label: string, r: LoadResult) => [
        label,
        formatNumber(round(r.perSecond, 1)),
        formatNumber(round(r.latency.p50Ms, 2)),
        formatNumber(round(r.latency.p95Ms, 2)),
        formatNumber(round(r.latency.p99Ms, 2)),
        String(r.errors),
      ];
      return {
        id,
        title: 'sendMessage through the router vs raw insert + confirmed publish',
        tables: [
          {
            title: `${options.sends} sends per side, ${options.concurrency} in flight`,
            columns: ['path', 'sends/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
            rows: [
              row(`sendMessage via router, ${options.concurrency} conversations`, routed),
              row('sendMessage via router, one conversation', hot),
              row('raw INSERT + publish (confirm)', raw),
            ],
          },
        ],
        checks: [check('router (spread) / raw throughput', round(ratio, 3), '>=', TARGET_RATIO, '×')],
        notes: [
          drained
            ? `outbox drained ${round(drainMs / 1000, 2)} s after the last send returned`
            : 'outbox NOT drained within 60 s',
          'router, users, conversations and messages subgraphs and the load generator share this process and its event loop',
        ],
        errors: [
          ...(routed.errors + hot.errors > 0 ? [`${routed.errors + hot.errors} sendMessage calls failed`] : []),
          ...(raw.errors > 0 ? [`${raw.errors} raw sends failed`] : []),
          ...(drained ? [] : ['the outbox did not drain within 60 s of the last send']),
        ],
        data: { routed, hot, raw, ratio, drainMs, options: { ...options, databaseUrl: undefined, amqpUrl: undefined } },
      };
    },
  };
}

async function waitForOutbox(databaseUrl: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from messages.outbox');
      if (Number(rows[0]!.n) === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  } finally {
    await client.end();
  }
}
