import { randomUUID } from 'node:crypto';
import { messagingTopology } from '@parley/common';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';
import {
  rabbitmq,
  redis,
  startTranslatorProcess,
  type TranslatorLogLine,
  type TranslatorProcess,
} from '../support/faults';
import { createGroup, send, waitFor, waitForTranslations, type MessageData } from '../support/messaging';
import { startStack, TEST_DATABASE_URL, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';

/**
 * Faults on the real services. Every scenario asserts "nothing lost" by comparing what was sent
 * with what is stored: each message once with the content it was sent with, seqs 1..n, and one
 * translation per message, target language and version.
 */
let stack: Stack;
let translator: TranslatorProcess | undefined;
let en: TestUser;
let fr: TestUser;
let es: TestUser;
let db: pg.Client;

/**
 * Texts no earlier burst sent, in this run or an earlier one: a translation already cached would
 * be answered at once, without the model, and the translator kill would find no work left to
 * interrupt.
 */
const freshTag = () => randomUUID().slice(0, 8);

const targetsOf = (message: Pick<MessageData, 'originalLanguage'>) =>
  ['en', 'fr', 'es'].filter((language) => language !== message.originalLanguage);

beforeAll(async () => {
  // The translator runs as its own process here, so it can be killed in the middle of a batch.
  stack = await startStack({ translator: 'none' });
  // At debug level its log says when a batch starts, which the kill test needs.
  translator = await startTranslatorProcess(stack.env, { logLevel: 'debug' });
  [en, fr, es] = await Promise.all([
    signUpUser(stack.routerUrl, 'en', 'en'),
    signUpUser(stack.routerUrl, 'fr', 'fr'),
    signUpUser(stack.routerUrl, 'es', 'es'),
  ]);
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await rabbitmq.start().catch(() => {});
  await redis.start().catch(() => {});
  await translator?.stop();
  await db?.end();
  await stack?.stop();
}, 120_000);

async function burst(
  conversationId: string,
  count: number,
  during?: { afterSends: number; fault: () => Promise<void> },
) {
  const senders = [en, fr, es];
  const pending: Array<Promise<MessageData>> = [];
  const tag = freshTag();
  let fault: Promise<void> | undefined;
  for (let i = 0; i < count; i++) {
    if (during && i === during.afterSends) fault = during.fault();
    pending.push(
      send(senders[i % 3]!, conversationId, `Burst message ${i} about the quarterly plan (${tag})`, {
        originalLanguage: 'en',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const sent = await Promise.all(pending);
  await fault;
  return sent;
}

/** Every sent message is stored once, seqs are 1..n, and each has all its translations. */
async function expectNothingLost(conversationId: string, sent: MessageData[]) {
  const stored = await waitForTranslations(fr, conversationId, targetsOf, {
    expectedCount: sent.length,
    timeoutMs: 120_000,
  });
  expect(stored.map((m) => m.id).sort()).toEqual(sent.map((m) => m.id).sort());
  const contentById = (messages: MessageData[]) => Object.fromEntries(messages.map((m) => [m.id, m.content]));
  expect(contentById(stored)).toEqual(contentById(sent));
  expect(stored.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1));
  const rows = await db.query<{ message_id: string; target_language: string; message_version: number }>(
    `select message_id, target_language, message_version from translations.message_translation
      where conversation_id = $1 and status = 'TRANSLATED'`,
    [conversationId],
  );
  const expected = stored.flatMap((m) => targetsOf(m).map((language) => `${m.id}/${language}/1`)).sort();
  expect(rows.rows.map((r) => `${r.message_id}/${r.target_language}/${r.message_version}`).sort()).toEqual(expected);
}

it('loses nothing when RabbitMQ stops during a burst of sends and comes back', async () => {
  const group = await createGroup(en, [fr, es]);
  const senders = [en, fr, es];
  const pending: Array<Promise<MessageData>> = [];
  const tag = freshTag();
  const sendNext = () => {
    const i = pending.length;
    pending.push(
      send(senders[i % 3]!, group.id, `Outage burst message ${i} about the quarterly plan (${tag})`, {
        originalLanguage: 'en',
      }),
    );
  };
  const sentWhileDown: MessageData[] = [];
  try {
    // The burst starts with the broker up (eight sends answered before the stop), goes on while it
    // stops, and ends with sends made (and answered) once it is certainly down, so the outage falls
    // inside the burst.
    for (let i = 0; i < 8; i++) sendNext();
    await Promise.all(pending);
    let stopped = false;
    const stopping = rabbitmq.stop().then(() => {
      stopped = true;
    });
    while (!stopped) {
      sendNext();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stopping;
    for (let i = 0; i < 10; i++)
      sentWhileDown.push(
        await send(senders[i % 3]!, group.id, `Sent while down ${i} (${tag})`, { originalLanguage: 'en' }),
      );
    // The running relay could not publish them: their events wait in the outbox.
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from messages.outbox where payload->>'messageId' = any($1::text[])`,
      [sentWhileDown.map((m) => m.id)],
    );
    expect(Number(rows[0]!.n)).toBe(sentWhileDown.length);
  } finally {
    await rabbitmq.start();
  }
  const sent = [...(await Promise.all(pending)), ...sentWhileDown];
  // Every send succeeded, those before, during and after the stop; the same relay drains the
  // outbox once the broker is back, and nothing is lost.
  await expectNothingLost(group.id, sent);
}, 240_000);

it('makes exactly one translation per message, language and version when the translator is killed mid-batch', async () => {
  const group = await createGroup(en, [fr, es]);
  const sent: MessageData[] = [];
  const isBatchLine = (line: TranslatorLogLine) => line.msg === 'batch started' || line.msg === 'batch translated';
  let killedMidBatch = false;
  let storedAtKill = 0;
  // A batch of test-tiny lasts milliseconds, so the kill may land just after one ended: then the
  // attempt proves nothing, and another burst gives the next attempt work to interrupt.
  for (let attempt = 1; attempt <= 3 && !killedMidBatch; attempt++) {
    const running = translator!;
    const from = running.logs.length;
    const sending = burst(group.id, 30);
    // Some of the burst stored, then a batch that starts after that: the middle of the work.
    await running.waitForLog((line) => line.msg === 'batch translated', { from });
    await running.waitForLog((line) => line.msg === 'batch started', { from: running.logs.length });
    await running.kill();
    try {
      // pino writes each line before going on, so a batch that ended before the kill says so.
      killedMidBatch = running.logs.filter(isBatchLine).at(-1)?.msg === 'batch started';
      const { rows } = await db.query<{ n: string }>(
        'select count(*) as n from translations.message_translation where conversation_id = $1',
        [group.id],
      );
      storedAtKill = Number(rows[0]!.n);
    } finally {
      // Restarted whatever happened, so the next attempt and scenarios have their translator.
      translator = await startTranslatorProcess(stack.env, { logLevel: 'debug' });
    }
    sent.push(...(await sending));
  }
  expect(killedMidBatch).toBe(true);
  // Part of the work was stored before the kill, part was not.
  expect(storedAtKill).toBeGreaterThan(0);
  expect(storedAtKill).toBeLessThan(sent.length * 2);
  await expectNothingLost(group.id, sent);
}, 300_000);

it('still stores translations while Redis is down, bypassing the cache', async () => {
  const group = await createGroup(en, [fr, es]);
  let sent: MessageData[];
  try {
    await redis.stop();
    sent = await burst(group.id, 6);
    await expectNothingLost(group.id, sent);
  } finally {
    await redis.start();
  }
}, 180_000);

it('sends a poison message to the dead-letter queue while the queue keeps flowing', async () => {
  const topology = messagingTopology(stack.env.AMQP_PREFIX);
  const connection = new Connection({ url: stack.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672' });
  const publisher = connection.createPublisher({ confirm: true });
  try {
    const deadBefore = (await connection.queueDeclare({ queue: topology.translatorDeadLetterQueue, passive: true }))
      .messageCount;
    await publisher.send(
      { exchange: topology.messageEventsExchange, routingKey: 'message.created', durable: true },
      '{"this is": "not a message event"',
    );
    const group = await createGroup(en, [fr, es]);
    const sent = await burst(group.id, 5);
    await expectNothingLost(group.id, sent);
    await waitFor(
      async () => {
        const { messageCount } = await connection.queueDeclare({
          queue: topology.translatorDeadLetterQueue,
          passive: true,
        });
        return messageCount === deadBefore + 1 ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the poison message in the dead-letter queue' },
    );
  } finally {
    await publisher.close();
    await connection.close();
  }
}, 120_000);
