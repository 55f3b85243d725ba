import { randomUUID } from 'node:crypto';
import { DEV_SIGNING_SECRET, signRequest } from '@parley/common';
import { createGroup } from '../../e2e/support/messaging';
import { startStack } from '../../e2e/support/stack';
import { signUpUser } from '../../e2e/support/users';
import { throttledProgress } from '../support/progress';
import { formatNumber } from '../support/report';
import { check, type Section } from '../support/section';
import { round } from '../support/stats';
import { closedLoop, type LoadResult } from './load';
import { bearer, LoadClient } from './load-client';
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
 * membership check (cached, or a call to conversations), one statement writing the seq counter, the
 * message and the outbox row; the relay publishing to RabbitMQ with confirms in the background)
 * against the raw ceiling of one INSERT plus one confirmed publish per message. Every service runs in
 * this one process, as in the e2e suite; the translator is left out so inference does not compete
 * for the CPU.
 *
 * Besides sends/s, each row reports this process's CPU time per send. A third router-less row sends
 * the same load signed straight to the messages subgraph (as the router would): the difference
 * between the rows is the router's share. It is reported, never compared with the target.
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
      let routed: Measured;
      let hot: Measured;
      let direct: Measured;
      let raw: Measured;
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
        // The load: keep-alive node:http, as cheap a client as can be, since it shares this process.
        const client = new LoadClient(stack.routerUrl, bearer(alice.token), options.concurrency);
        const sendTo = (conversationId: string) => async () => {
          await client.data(SEND, {
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
        routed = await measured(() =>
          closedLoop(
            options.sends,
            options.concurrency,
            spreadOne,
            throttledProgress(progress, 'sendMessage, spread', options.sends),
          ),
        );
        hot = await measured(() =>
          closedLoop(
            Math.ceil(options.sends / 2),
            options.concurrency,
            hotOne,
            throttledProgress(progress, 'sendMessage, one conversation', Math.ceil(options.sends / 2)),
          ),
        );
        client.close();
        const secret = stack.env.SUBGRAPH_SIGNING_SECRET ?? DEV_SIGNING_SECRET;
        const signed = new LoadClient(
          stack.messagesUrl,
          (body) => signRequest(secret, { userId: alice.id, clientIp: '' }, body),
          options.concurrency,
        );
        direct = await measured(() =>
          closedLoop(
            options.sends,
            options.concurrency,
            (n) =>
              signed.data(SEND, {
                input: {
                  conversationId: conversations[n % conversations.length]!.id,
                  content: 'The quarterly review moved to Thursday at three.',
                  clientMessageId: randomUUID(),
                  originalLanguage: 'en',
                },
              }),
            throttledProgress(progress, 'sendMessage signed to the messages subgraph', options.sends),
          ),
        );
        signed.close();
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
          raw = await measured(() =>
            closedLoop(options.sends, options.concurrency, rawOne, throttledProgress(progress, 'raw', options.sends)),
          );
        } finally {
          await rawSender.close();
        }
      } finally {
        await stack.stop();
      }
      const ratio = routed.perSecond / raw.perSecond;
      const row = (label: string, r: Measured) => [
        label,
        formatNumber(round(r.perSecond, 1)),
        formatNumber(round(r.latency.p50Ms, 2)),
        formatNumber(round(r.latency.p95Ms, 2)),
        formatNumber(round(r.latency.p99Ms, 2)),
        formatNumber(round(r.cpuMsPerOperation, 2)),
        String(r.errors),
      ];
      return {
        id,
        title: 'sendMessage through the router vs raw insert + confirmed publish',
        tables: [
          {
            title: `${options.sends} sends per side, ${options.concurrency} in flight`,
            columns: ['path', 'sends/s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/send', 'errors'],
            rows: [
              row(`sendMessage via router, ${options.concurrency} conversations`, routed),
              row('sendMessage via router, one conversation', hot),
              row(`sendMessage signed to messages, no router, ${options.concurrency} conv.`, direct),
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
          'CPU ms/send: this process only (user + system, process.cpuUsage), load generator included; ' +
            'PostgreSQL, Redis and RabbitMQ are other processes',
          `router's share of CPU per send (via router − signed to messages, spread): ` +
            `${round(routed.cpuMsPerOperation - direct.cpuMsPerOperation, 2)} ms; the messages subgraph, its ` +
            `relay and the client: ${round(direct.cpuMsPerOperation, 2)} ms`,
        ],
        errors: [
          ...(routed.errors + hot.errors + direct.errors > 0
            ? [`${routed.errors + hot.errors + direct.errors} sendMessage calls failed`]
            : []),
          ...(raw.errors > 0 ? [`${raw.errors} raw sends failed`] : []),
          ...(drained ? [] : ['the outbox did not drain within 60 s of the last send']),
        ],
        data: {
          routed,
          hot,
          direct,
          raw,
          ratio,
          drainMs,
          options: { ...options, databaseUrl: undefined, amqpUrl: undefined },
        },
      };
    },
  };
}

type Measured = LoadResult & {
  /** CPU time of this process (user + system) per operation over the timed loop. */
  cpuMsPerOperation: number;
};

async function measured(run: () => Promise<LoadResult>): Promise<Measured> {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { ...result, cpuMsPerOperation: (used.user + used.system) / 1000 / result.operations };
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
