import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, ensureDatabase, messageEventSchema, messagingTopology, migrate } from '@parley/common';
import type { SyncMessage } from 'rabbitmq-client';
import { insertMessage } from '../messages/message-writes';
import { createMessagesOrm, MESSAGES_DB_SCHEMA } from '../orm';
import { openEventTap, type EventTap } from '../testing/event-tap';
import { TEST_AMQP_URL, TEST_DATABASE_URL, uniqueAmqpPrefix } from '../testing/stack';
import { TestRelays } from '../testing/test-relays';
import { LISTENER_APPLICATION_NAME, OutboxRelay } from './outbox-relay';

const logger = createLogger('outbox-relay-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const prefix = uniqueAmqpPrefix();
const topology = messagingTopology(prefix);
const testQueue = `${prefix}test.outbox`;
/** Nothing listens there: connections are refused at once. */
const DEAD_AMQP_URL = 'amqp://guest:guest@127.0.0.1:1';

let orm: MikroORM;
let tap: EventTap;
const relays = new TestRelays({ amqpPrefix: prefix, pollMs: 100, publishTimeoutMs: 5_000, logger });
const relay = (amqpUrl: string, publishTimeoutMs?: number): OutboxRelay => relays.create(amqpUrl, publishTimeoutMs);

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  orm = await createMessagesOrm({ DATABASE_URL: TEST_DATABASE_URL }, logger);
  await migrate(orm, TEST_DATABASE_URL, MESSAGES_DB_SCHEMA, logger);
  tap = await openEventTap(prefix, testQueue);
});

afterAll(async () => {
  await relays.stopAll();
  await orm?.close();
  await tap?.close();
});

/** Sends `count` messages to a new conversation through the write path the resolver uses. */
async function sendMany(count: number, conversationId: string = randomUUID()): Promise<string> {
  const senderId = randomUUID();
  for (let i = 0; i < count; i += 1) {
    await orm.em.fork().transactional((em) =>
      insertMessage(em, {
        id: randomUUID(),
        conversationId,
        senderId,
        clientMessageId: `k-${i}`,
        content: `message ${i + 1}`,
        originalLanguage: 'en',
        createdAt: new Date(),
      }),
    );
  }
  return conversationId;
}

async function outboxRows(conversationId: string): Promise<Array<{ id: string; kind: string; payload: unknown }>> {
  return orm.em
    .fork()
    .execute(
      `select "id"::text as "id", "kind", "payload" from "messages"."outbox" where "payload"->>'conversationId' = ? order by "id"`,
      [conversationId],
    );
}

async function received(): Promise<SyncMessage[]> {
  const messages: SyncMessage[] = [];
  for (;;) {
    const message = await tap.amqp.basicGet({ queue: testQueue, noAck: true });
    if (!message) return messages;
    messages.push(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('writes the outbox row in the message transaction: a rolled-back send leaves no row, message or seq', async () => {
  const conversationId = await sendMany(1);
  const [row] = await outboxRows(conversationId);
  const event = messageEventSchema.parse(row!.payload);
  expect(event).toMatchObject({ kind: 'message.created', conversationId, seq: 1, version: 1, eventId: row!.id });

  await expect(
    orm.em.fork().transactional(async (em) => {
      await insertMessage(em, {
        id: randomUUID(),
        conversationId,
        senderId: randomUUID(),
        clientMessageId: 'rolled-back',
        content: 'never stored',
        originalLanguage: 'en',
        createdAt: new Date(),
      });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(await outboxRows(conversationId)).toHaveLength(1);
  const [counts] = await orm.em.fork().execute<Array<{ messages: number; last_seq: number }>>(
    `select (select count(*)::int from "messages"."message" where "conversation_id" = ?) as "messages",
              (select "last_seq" from "messages"."conversation_counter" where "conversation_id" = ?) as "last_seq"`,
    [conversationId, conversationId],
  );
  expect(counts).toEqual({ messages: 1, last_seq: 1 });

  await sendMany(1, conversationId);
  expect((await outboxRows(conversationId)).map((r) => (r.payload as { seq: number }).seq)).toEqual([1, 2]);
});

it('publishes with confirms to the prefixed exchange, persistent, messageId = eventId, then empties the outbox', async () => {
  const conversationId = await sendMany(3);
  const ids = (await outboxRows(conversationId)).map((row) => row.id);
  const good = relay(TEST_AMQP_URL);
  await good.start();
  await good.whenDrained(10_000);
  expect(await outboxRows(conversationId)).toEqual([]);
  const mine = (await received()).filter(
    (message) => (message.body as { conversationId?: string }).conversationId === conversationId,
  );
  expect(mine.map((message) => message.messageId)).toEqual(ids);
  for (const message of mine) {
    expect(message.exchange).toBe(topology.messageEventsExchange);
    expect(message.routingKey).toBe('message.created');
    expect(message.contentType).toBe('application/json');
    expect(message.durable).toBe(true);
    expect(messageEventSchema.parse(message.body).eventId).toBe(message.messageId);
  }
  await good.stop();
});

it('keeps the rows while RabbitMQ is unreachable, and a relay that reaches it later drains them all in order', async () => {
  const dead = relay(DEAD_AMQP_URL, 300);
  await dead.start();
  const conversationId = await sendMany(20);
  const ids = (await outboxRows(conversationId)).map((row) => row.id);
  expect(ids).toHaveLength(20);

  // Several failed attempts (each bounded by the 300 ms publish timeout) later, nothing is lost.
  await sleep(1_200);
  expect((await outboxRows(conversationId)).map((row) => row.id)).toEqual(ids);
  await expect(dead.whenDrained(200)).rejects.toThrow(/pending/);
  const stopping = Date.now();
  await dead.stop();
  expect(Date.now() - stopping).toBeLessThan(3_000);

  const good = relay(TEST_AMQP_URL);
  await good.start();
  await good.whenDrained(10_000);
  expect(await good.pending()).toBe(0);
  const mine = (await received())
    .map((message) => messageEventSchema.parse(message.body))
    .filter((event) => event.conversationId === conversationId);
  expect(mine.map((event) => event.eventId)).toEqual(ids);
  expect(mine.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  await good.stop();
});

it('drains with another relay at once: every event published once, in outbox order (the drain lock)', async () => {
  const conversationId = await sendMany(30);
  const ids = (await outboxRows(conversationId)).map((row) => row.id);
  const [one, other] = [relay(TEST_AMQP_URL), relay(TEST_AMQP_URL)];
  await Promise.all([one.start(), other.start()]);
  await Promise.all([one.whenDrained(10_000), other.whenDrained(10_000)]);
  const mine = (await received())
    .map((message) => messageEventSchema.parse(message.body))
    .filter((event) => event.conversationId === conversationId);
  expect(mine.map((event) => event.eventId)).toEqual(ids);
  await Promise.all([one.stop(), other.stop()]);
});

it('is woken by NOTIFY, also after its LISTEN connection was killed: a send arrives well before the next poll', async () => {
  const quick = new OutboxRelay({
    databaseUrl: TEST_DATABASE_URL,
    amqpUrl: TEST_AMQP_URL,
    amqpPrefix: prefix,
    pollMs: 60_000,
    logger,
  });
  relays.track(quick);
  await quick.start();
  await quick.whenDrained(10_000);
  await received();

  const arrives = async (conversationId: string) => {
    const deadline = Date.now() + 5_000;
    let mine: SyncMessage[] = [];
    while (mine.length === 0 && Date.now() < deadline) {
      await sleep(20);
      mine = (await received()).filter(
        (message) => (message.body as { conversationId?: string }).conversationId === conversationId,
      );
    }
    return mine.length;
  };
  expect(await arrives(await sendMany(1))).toBe(1);

  const killed = await orm.em.fork().execute<Array<{ killed: boolean }>>(
    `select pg_terminate_backend("pid") as "killed" from pg_stat_activity
       where "application_name" = ? and "datname" = current_database() and "pid" <> pg_backend_pid()`,
    [LISTENER_APPLICATION_NAME],
  );
  expect(killed.length).toBeGreaterThan(0);
  // The relay re-LISTENs within its back-off (≤ 300 ms here) and catches up on what it missed.
  await sleep(500);
  expect(await arrives(await sendMany(1))).toBe(1);
  await quick.stop();
});
