import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, ensureDatabase, messageEventSchema, migrate } from '@parley/common';
import pg from 'pg';
import { insertMessage, type NewMessage } from '../messages/message-writes';
import { createMessagesOrm, MESSAGES_DB_SCHEMA } from '../orm';
import { openEventTap, type EventTap } from '../testing/event-tap';
import { startPausableProxy, type PausableProxy } from '../testing/pausable-proxy';
import { TEST_AMQP_URL, TEST_DATABASE_URL, uniqueAmqpPrefix } from '../testing/stack';
import { TestRelays } from '../testing/test-relays';
import type { LocalOutboxRelay } from './local-outbox-relay';
import type { OutboxRelay } from './outbox-relay';
import { OUTBOX_CHANNEL } from './outbox-writer';

/*
 * Sends tell the relay of their own process directly instead of NOTIFYing (LocalOutboxRelay).
 * These tests keep the relays' polls at a minute: whatever arrives here was woken, not polled.
 * The fault tests of the relay itself are in outbox-relay.int.test.ts.
 */

const logger = createLogger('outbox-local-commits-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const prefix = uniqueAmqpPrefix();
const testQueue = `${prefix}test.local-commits`;
const NEVER_POLLS_MS = 60_000;

let orm: MikroORM;
let tap: EventTap;
let listener: pg.Client;
let proxy: PausableProxy | undefined;
const notifications: string[] = [];
const relays = new TestRelays({ amqpPrefix: prefix, pollMs: NEVER_POLLS_MS, publishTimeoutMs: 10_000, logger });
const relay = (amqpUrl?: string, publishTimeoutMs?: number): OutboxRelay => relays.create(amqpUrl, publishTimeoutMs);

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  orm = await createMessagesOrm({ DATABASE_URL: TEST_DATABASE_URL }, logger);
  await migrate(orm, TEST_DATABASE_URL, MESSAGES_DB_SCHEMA, logger);
  tap = await openEventTap(prefix, testQueue);
  listener = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await listener.connect();
  listener.on('notification', (notification) => notifications.push(notification.payload ?? ''));
  await listener.query(`listen ${OUTBOX_CHANNEL}`);
});

afterEach(async () => {
  await relays.stopAll();
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await listener?.end();
  await orm?.close();
  await tap?.close();
});

const newMessage = (conversationId: string): NewMessage => ({
  id: randomUUID(),
  conversationId,
  senderId: randomUUID(),
  clientMessageId: randomUUID(),
  content: 'hello',
  originalLanguage: 'en',
  createdAt: new Date(),
});

/** The outbox id of each row of the conversation still waiting. */
async function outboxIds(conversationId: string): Promise<string[]> {
  const rows = await orm.em
    .fork()
    .execute<Array<{ id: string }>>(
      `select "id"::text as "id" from "messages"."outbox" where "payload"->>'conversationId' = ? order by "id"`,
      [conversationId],
    );
  return rows.map((row) => row.id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `count` events of the conversation are on the test queue; returns their eventIds in arrival order. */
const received = new Map<string, string[]>();
async function arrived(conversationId: string, count: number, timeoutMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (;;) {
      const message = await tap.amqp.basicGet({ queue: testQueue, noAck: true });
      if (!message) break;
      const event = messageEventSchema.parse(message.body);
      received.set(event.conversationId, [...(received.get(event.conversationId) ?? []), event.eventId]);
    }
    const mine = received.get(conversationId) ?? [];
    if (mine.length >= count || Date.now() >= deadline) return mine;
    await sleep(20);
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

it('a send outside a transaction tells the running relay directly: no NOTIFY, published at once', async () => {
  const local = relay();
  await local.start();
  await local.whenDrained(10_000);
  expect(local.takesLocalCommits).toBe(true);

  const conversationId = randomUUID();
  const { created } = await insertMessage(orm.em.fork(), newMessage(conversationId), local);
  expect(created).toBe(true);
  const [eventId] = await arrived(conversationId, 1);
  expect(eventId).toBeDefined();
  await sleep(100);
  expect(notifications).not.toContain(eventId);
});

it('NOTIFYs the row when no relay runs in the process, or inside a transaction (committed later)', async () => {
  const idle = relay();
  expect(idle.takesLocalCommits).toBe(false);
  const unrelayed = randomUUID();
  await insertMessage(orm.em.fork(), newMessage(unrelayed), idle);
  const [unrelayedId] = await outboxIds(unrelayed);
  await until(() => notifications.includes(unrelayedId!), 'the NOTIFY of a send with no relay running');

  const running = relay();
  await running.start();
  const inTransaction = randomUUID();
  await orm.em.fork().transactional((em) => insertMessage(em, newMessage(inTransaction), running));
  const [eventId] = await arrived(inTransaction, 1);
  await until(() => notifications.includes(eventId!), 'the NOTIFY of a send inside a transaction');
  await running.whenDrained(10_000);
  expect(await arrived(unrelayed, 1)).toEqual([unrelayedId]);
});

it('a local commit while another relay holds the drain lock: that relay is told, and publishes it next, in order', async () => {
  const target = new URL(TEST_AMQP_URL);
  proxy = await startPausableProxy(target.hostname, Number(target.port || 5672));
  const holderUrl = new URL(TEST_AMQP_URL);
  holderUrl.port = String(proxy.port);
  const holder = relay(holderUrl.toString());
  await holder.start();
  await holder.whenDrained(10_000);

  // The holder takes the first send and waits for RabbitMQ's confirms, holding the drain lock.
  const conversationId = randomUUID();
  proxy.pause();
  await insertMessage(orm.em.fork(), newMessage(conversationId), undefined);
  const [first] = await outboxIds(conversationId);
  await until(() => proxy!.heldBytes() > 0, "the holder's publish");

  // Another process's relay: its send commits, and its drain finds the lock taken.
  const other = relay();
  await other.start();
  const before = notifications.length;
  await insertMessage(orm.em.fork(), newMessage(conversationId), other);
  const ids = await outboxIds(conversationId);
  expect(ids).toHaveLength(2);
  await until(
    () => notifications.slice(before).some((payload) => payload.startsWith('relay:')),
    'the other relay telling the holder',
  );
  expect(notifications.slice(before)).not.toContain(ids[1]);

  proxy.resume();
  expect(await arrived(conversationId, 2)).toEqual([first, ids[1]]);
  await sleep(200);
  expect(await arrived(conversationId, 3, 0)).toEqual([first, ids[1]]);
});

it('a relay that fails stops taking local commits, and a send its relay did not take NOTIFYs instead', async () => {
  const unreachable = relay('amqp://guest:guest@127.0.0.1:1', 500);
  await unreachable.start();
  const waiting = randomUUID();
  await insertMessage(orm.em.fork(), newMessage(waiting), undefined);
  await until(() => !unreachable.takesLocalCommits, 'the failing relay to hand its commits back to NOTIFY');

  // As when the relay begins to stop while the send's statement runs.
  const refusing: LocalOutboxRelay = { takesLocalCommits: true, committed: () => false };
  const emptyNotifications = () => notifications.filter((payload) => payload === '').length;
  const before = emptyNotifications();
  const conversationId = randomUUID();
  const { created } = await insertMessage(orm.em.fork(), newMessage(conversationId), refusing);
  expect(created).toBe(true);
  await until(() => emptyNotifications() > before, 'the NOTIFY of a send its relay did not take');
  const [eventId] = await outboxIds(conversationId);
  expect(notifications).not.toContain(eventId);

  // Stopped, it no longer takes the drain lock for its failing attempts.
  await unreachable.stop();
  const healthy = relay();
  await healthy.start();
  await healthy.whenDrained(10_000);
  expect(await arrived(conversationId, 1)).toEqual([eventId]);
  expect(await arrived(waiting, 1)).toHaveLength(1);
});
