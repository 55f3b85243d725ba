import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { DEV_SIGNING_SECRET, signRequest } from '@parley/common';
import { createGroup } from '../../e2e/support/messaging';
import { startStack } from '../../e2e/support/stack';
import { signUpUser } from '../../e2e/support/users';
import { closedLoop } from './load';
import { bearer, LoadClient } from './load-client';

/**
 * Where a send's CPU goes: the send-path section's spread load (same stack, same concurrency),
 * with the process's CPU time per send and, with --out, a V8 CPU profile of the timed sends only
 * (start-up, sign-up and warm-up excluded). Not part of `pnpm bench`; a developer's tool:
 *
 *   pnpm exec tsx bench/send-path/profile.ts --sends 1000 --out /tmp/send.cpuprofile
 *   pnpm exec tsx bench/send-path/profile.ts --target messages   # signed, straight to the subgraph
 *   pnpm exec tsx bench/send-path/profile.ts --client fetch      # the e2e client (undici fetch)
 *
 * The difference between `--target router` and `--target messages` is the router's share.
 */
const { values } = parseArgs({
  options: {
    sends: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    target: { type: 'string', default: 'router' },
    client: { type: 'string', default: 'http' },
    out: { type: 'string' },
  },
});
const sends = Number(values.sends);
const concurrency = Number(values.concurrency);
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }`;

const stack = await startStack({
  translator: 'none',
  env: {
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_bench',
    LOG_LEVEL: 'silent',
  },
});
try {
  const [alice, bob] = await Promise.all([
    signUpUser(stack.routerUrl, 'en', 'alice'),
    signUpUser(stack.routerUrl, 'fr', 'bob'),
  ]);
  const conversations = await Promise.all(Array.from({ length: concurrency }, () => createGroup(alice, [bob])));
  const secret = stack.env.SUBGRAPH_SIGNING_SECRET ?? DEV_SIGNING_SECRET;
  const client =
    values.target === 'messages'
      ? new LoadClient(
          stack.messagesUrl,
          (body) => signRequest(secret, { userId: alice.id, clientIp: '' }, body),
          concurrency,
        )
      : values.client === 'fetch'
        ? alice.client
        : new LoadClient(stack.routerUrl, bearer(alice.token), concurrency);
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
  await closedLoop(Math.min(300, sends), concurrency, sendOne);
  const session = new Session();
  if (values.out) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu = process.cpuUsage();
  const result = await closedLoop(sends, concurrency, sendOne);
  const used = process.cpuUsage(cpu);
  if (values.out) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values.out, JSON.stringify(profile));
    session.disconnect();
  }
  const perSend = (micros: number) => (micros / 1000 / sends).toFixed(2);
  console.log(
    `${values.target} (${values.target === 'messages' ? 'signed' : values.client}), ${sends} sends, ${concurrency} in flight: ` +
      `${result.perSecond.toFixed(1)}/s, p50 ${result.latency.p50Ms.toFixed(1)} ms, errors ${result.errors}; ` +
      `CPU per send ${perSend(used.user + used.system)} ms (user ${perSend(used.user)}, system ${perSend(used.system)})`,
  );
  if (client instanceof LoadClient) client.close();
} finally {
  await stack.stop();
}
