import { randomUUID } from 'node:crypto';
import type { MessageEvent } from '@parley/common';
import pg from 'pg';
import {
  codes,
  signedData,
  signedRequest,
  startMessagesStack,
  TEST_DATABASE_URL,
  uniqueAmqpPrefix,
  type GraphQLResult,
  type MessagesStack,
} from '../testing/stack';
import { openEventTap, type EventTap } from '../testing/event-tap';

const SEND = `mutation ($input: SendMessageInput!) {
  sendMessage(input: $input) {
    id conversationId conversation { id } sender { id } seq clientMessageId content originalLanguage version
    createdAt editedAt deletedAt
  }
}`;
const EDIT = `mutation ($id: ID!, $content: String!) { editMessage(id: $id, content: $content) { id seq content version editedAt deletedAt } }`;
const DELETE = `mutation ($id: ID!) { deleteMessage(id: $id) { id seq content version editedAt deletedAt } }`;
const CONVERSATIONS = (selection: string) =>
  `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conversation { id ${selection} } } }`;

interface SentMessage {
  id: string;
  conversationId: string;
  conversation: { id: string };
  sender: { id: string };
  seq: number;
  clientMessageId: string;
  content: string;
  originalLanguage: string;
  version: number;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

const prefix = uniqueAmqpPrefix();
const eventsQueue = `${prefix}test.message-events`;
const selects: string[] = [];
let countSelects = false;

let stack: MessagesStack;
let db: pg.Client;
let tap: EventTap;
let alice: string;
let bob: string;
let carol: string;
let outsider: string;
let conversationId: string;

beforeAll(async () => {
  stack = await startMessagesStack({
    env: { AMQP_PREFIX: prefix, OUTBOX_POLL_MS: '200' },
    onMessagesQuery: (sql) => {
      if (countSelects && /\bselect\b/i.test(sql) && !/pg_notify|mikro_orm_migrations|information_schema/i.test(sql)) {
        selects.push(sql);
      }
    },
  });
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  tap = await openEventTap(prefix, eventsQueue);
  [alice, bob, carol, outsider] = await Promise.all([
    stack.signUp('en'),
    stack.signUp('fr'),
    stack.signUp('de'),
    stack.signUp('es'),
  ]);
  conversationId = await stack.createConversation(alice, [bob, carol]);
});

afterAll(async () => {
  await stack?.stop();
  await db?.end();
  await tap?.close();
});

const send = (userId: string, input: Record<string, unknown>) =>
  signedRequest<{ sendMessage: SentMessage }>(stack.messagesUrl, userId, SEND, { input });

async function sent(userId: string, input: Record<string, unknown>): Promise<SentMessage> {
  const result = await send(userId, input);
  if (!result.data?.sendMessage) throw new Error(`sendMessage failed: ${JSON.stringify(result.errors)}`);
  return result.data.sendMessage;
}

const conversationFields = <T>(userId: string, ids: string[], selection: string) =>
  signedRequest<{ _entities: Array<T | null> }>(stack.messagesUrl, userId, CONVERSATIONS(selection), {
    r: ids.map((id) => ({ __typename: 'Conversation', id })),
  });

async function lastSeq(id: string): Promise<number> {
  const data = await signedData<{ _entities: Array<{ lastSeq: number }> }>(
    stack.messagesUrl,
    alice,
    CONVERSATIONS('lastSeq'),
    { r: [{ __typename: 'Conversation', id }] },
  );
  return data._entities[0]!.lastSeq;
}

async function storedRows(id: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    'select count(*)::int as n from "messages"."message" where "conversation_id" = $1',
    [id],
  );
  return result.rows[0]!.n;
}

async function eventsOnQueue(): Promise<MessageEvent[]> {
  const events: MessageEvent[] = [];
  for (;;) {
    const message = await tap.amqp.basicGet({ queue: eventsQueue, noAck: true });
    if (!message) return events;
    events.push(message.body as MessageEvent);
  }
}

describe('sendMessage', () => {
  it('stores the message and reads it back through Conversation.messages, messagesSince and lastSeq', async () => {
    const id = await stack.createConversation(alice, [bob]);
    const message = await sent(alice, {
      conversationId: id,
      content: '  Hello Bob, how are you today?  ',
      clientMessageId: randomUUID(),
      originalLanguage: 'en',
    });
    expect(message).toMatchObject({
      conversationId: id,
      conversation: { id },
      sender: { id: alice },
      seq: 1,
      content: 'Hello Bob, how are you today?',
      originalLanguage: 'en',
      version: 1,
      editedAt: null,
      deletedAt: null,
    });
    expect(Date.parse(message.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const read = await conversationFields<{ lastSeq: number; messages: SentMessage[]; messagesSince: SentMessage[] }>(
      bob,
      [id],
      'lastSeq messages { id seq content sender { id } } messagesSince(afterSeq: 0) { id seq }',
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?._entities[0]).toEqual({
      id,
      lastSeq: 1,
      messages: [{ id: message.id, seq: 1, content: message.content, sender: { id: alice } }],
      messagesSince: [{ id: message.id, seq: 1 }],
    });
  });

  it('gives 30 concurrent sends from 3 members the seqs 1..30 exactly', async () => {
    const id = await stack.createConversation(alice, [bob, carol]);
    const senders = [alice, bob, carol];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sent(senders[i % 3]!, {
          conversationId: id,
          content: `message ${i}`,
          clientMessageId: `c-${i}`,
          originalLanguage: 'en',
        }),
      ),
    );
    expect(results.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(results.map((m) => m.id)).size).toBe(30);
    const read = await conversationFields<{ lastSeq: number; messagesSince: Array<{ seq: number }> }>(
      carol,
      [id],
      'lastSeq messagesSince(afterSeq: 0, first: 500) { seq }',
    );
    expect(read.data?._entities[0]?.lastSeq).toBe(30);
    expect(read.data?._entities[0]?.messagesSince.map((m) => m.seq)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
  });

  it('is idempotent on (sender, clientMessageId): concurrent and later repeats return the same message', async () => {
    const id = await stack.createConversation(alice, [bob]);
    const clientMessageId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        sent(bob, { conversationId: id, content: 'only once', clientMessageId, originalLanguage: 'en' }),
      ),
    );
    expect(new Set(answers.map((m) => m.id)).size).toBe(1);
    expect(answers.map((m) => m.seq)).toEqual([1, 1, 1, 1, 1]);

    const later = await sent(bob, { conversationId: id, content: 'different text', clientMessageId });
    expect(later).toEqual(answers[0]);
    expect(await storedRows(id)).toBe(1);
    expect(await lastSeq(id)).toBe(1);

    // The released seqs were not lost: the next message is 2.
    const next = await sent(bob, { conversationId: id, content: 'next', clientMessageId: randomUUID() });
    expect(next.seq).toBe(2);

    // Alice may use the same key: it is per sender.
    const alices = await sent(alice, { conversationId: id, content: 'mine', clientMessageId });
    expect(alices.seq).toBe(3);

    // The same key aimed at another conversation is refused rather than answered with this one.
    const other = await stack.createConversation(bob, [carol]);
    const misuse = await send(bob, { conversationId: other, content: 'x', clientMessageId });
    expect(codes(misuse)).toEqual(['BAD_USER_INPUT']);
    expect(misuse.errors?.[0]?.extensions?.field).toBe('input.clientMessageId');
  });

  it.each([
    ['empty content', { content: '' }, 'input.content'],
    ['blank content', { content: ' \n\t ' }, 'input.content'],
    ['4001 characters', { content: 'a'.repeat(4001) }, 'input.content'],
    ['an unsupported language', { originalLanguage: 'xx' }, 'input.originalLanguage'],
    ['an empty clientMessageId', { clientMessageId: '' }, 'input.clientMessageId'],
    ['a 201-character clientMessageId', { clientMessageId: 'k'.repeat(201) }, 'input.clientMessageId'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_label, override, field) => {
    const before = { rows: await storedRows(conversationId), lastSeq: await lastSeq(conversationId) };
    const result = await send(alice, {
      conversationId,
      content: 'valid text',
      clientMessageId: randomUUID(),
      originalLanguage: 'en',
      ...override,
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.extensions?.field).toBe(field);
    expect(result.data).toBeNull();
    expect({ rows: await storedRows(conversationId), lastSeq: await lastSeq(conversationId) }).toEqual(before);
  });

  it('accepts 4000 characters counted as code points', async () => {
    const message = await sent(alice, {
      conversationId,
      content: '😀'.repeat(4000),
      clientMessageId: randomUUID(),
      originalLanguage: 'en',
    });
    expect([...message.content]).toHaveLength(4000);
  });

  it('keeps sending while a migration adds a column (the prepared send statement names its columns)', async () => {
    const id = await stack.createConversation(alice, [bob]);
    const burst = (round: string) =>
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          sent(alice, {
            conversationId: id,
            content: `${round} ${i}`,
            clientMessageId: `${round}-${i}`,
            originalLanguage: 'en',
          }),
        ),
      );
    // Enough at once that several pooled connections have prepared the statement.
    await burst('before');
    await db.query('alter table "messages"."message" add column "zz_later_column" integer');
    try {
      const after = await burst('after');
      expect(after.map((message) => message.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 8 }, (_, i) => i + 9),
      );
    } finally {
      await db.query('alter table "messages"."message" drop column "zz_later_column"');
    }
  });

  it('refuses non-members (FORBIDDEN, no data) and unknown conversations (NOT_FOUND)', async () => {
    const denied = await send(outsider, { conversationId, content: 'let me in', clientMessageId: randomUUID() });
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    expect(denied.data).toBeNull();

    for (const id of [randomUUID(), 'not-a-uuid']) {
      const unknown = await send(alice, { conversationId: id, content: 'hello', clientMessageId: randomUUID() });
      expect(codes(unknown)).toEqual(['NOT_FOUND']);
    }
  });

  it('detects the language when none is given, and falls back to the systemLanguage for emoji', async () => {
    const id = await stack.createConversation(carol, [bob]);
    const french = await sent(bob, {
      conversationId: id,
      content: 'La réunion a été déplacée à jeudi après-midi parce que la directrice est en voyage.',
      clientMessageId: randomUUID(),
    });
    expect(french.originalLanguage).toBe('fr');
    const thumbs = await sent(carol, { conversationId: id, content: '👍', clientMessageId: randomUUID() });
    expect(thumbs.originalLanguage).toBe('de');
    const stated = await sent(carol, {
      conversationId: id,
      content: 'The meeting has been moved to Thursday afternoon.',
      clientMessageId: randomUUID(),
      originalLanguage: 'it',
    });
    expect(stated.originalLanguage).toBe('it');
  });
});

describe('reading', () => {
  let id: string;

  beforeAll(async () => {
    id = await stack.createConversation(alice, [bob]);
    for (let i = 1; i <= 7; i += 1) {
      await sent(alice, {
        conversationId: id,
        content: `m${i}`,
        clientMessageId: randomUUID(),
        originalLanguage: 'en',
      });
    }
  });

  it('pages backwards with last/beforeSeq and forwards with messagesSince, always ascending', async () => {
    const read = await conversationFields<Record<string, Array<{ seq: number }>>>(
      bob,
      [id],
      `newest: messages(last: 3) { seq }
       older: messages(last: 3, beforeSeq: 5) { seq }
       oldest: messages(last: 50, beforeSeq: 2) { seq }
       defaults: messages { seq }
       since: messagesSince(afterSeq: 4) { seq }
       sinceTwo: messagesSince(afterSeq: 1, first: 2) { seq }
       none: messagesSince(afterSeq: 7) { seq }`,
    );
    expect(read.errors).toBeUndefined();
    const seqs = Object.fromEntries(
      Object.entries(read.data!._entities[0]!)
        .filter(([key]) => key !== 'id')
        .map(([key, list]) => [key, (list as Array<{ seq: number }>).map((m) => m.seq)]),
    );
    expect(seqs).toEqual({
      newest: [5, 6, 7],
      older: [2, 3, 4],
      oldest: [1],
      defaults: [1, 2, 3, 4, 5, 6, 7],
      since: [5, 6, 7],
      sinceTwo: [2, 3],
      none: [],
    });
  });

  it('bounds page sizes with BAD_USER_INPUT', async () => {
    for (const selection of [
      'messages(last: 0) { seq }',
      'messages(last: 201) { seq }',
      'messagesSince(afterSeq: 0, first: 0) { seq }',
      'messagesSince(afterSeq: 0, first: 501) { seq }',
    ]) {
      const result = await conversationFields(bob, [id], selection);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    }
    const edges = await conversationFields<{ a: unknown[]; b: unknown[] }>(
      bob,
      [id],
      'a: messages(last: 200) { seq } b: messagesSince(afterSeq: 0, first: 500) { seq }',
    );
    expect(edges.errors).toBeUndefined();
    expect(edges.data?._entities[0]?.a).toHaveLength(7);
  });

  it('gives a non-member FORBIDDEN and no data for lastSeq, messages and messagesSince', async () => {
    for (const selection of ['lastSeq', 'messages { id content }', 'messagesSince(afterSeq: 0) { id content }']) {
      const result: GraphQLResult = await conversationFields(outsider, [id], selection);
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(result.data ?? null)).not.toContain('m1');
    }
  });

  it('resolves an unknown conversation to null', async () => {
    const result = await conversationFields(alice, [randomUUID(), 'nope'], 'lastSeq');
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([null, null]);
  });

  it('reads N conversations in a constant number of SQL queries', async () => {
    const viewer = await stack.signUp('en');
    const ids = await Promise.all(Array.from({ length: 8 }, () => stack.createConversation(viewer, [bob])));
    for (const [i, each] of ids.entries()) {
      await sent(viewer, { conversationId: each, content: `hi ${i}`, clientMessageId: randomUUID() });
    }
    const selection = 'lastSeq messages(last: 10) { id seq } messagesSince(afterSeq: 0) { id seq }';
    const selectsFor = async (count: number) => {
      selects.length = 0;
      countSelects = true;
      const result = await conversationFields<{ lastSeq: number }>(viewer, ids.slice(0, count), selection);
      countSelects = false;
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities.map((c) => c?.lastSeq)).toEqual(Array.from({ length: count }, () => 1));
      return selects.length;
    };
    const two = await selectsFor(2);
    const eight = await selectsFor(8);
    expect(two).toBeGreaterThan(0);
    expect(eight).toBe(two);
    expect(eight).toBeLessThanOrEqual(3);
  });
});

describe('Message entity', () => {
  it('resolves a message for members, FORBIDDEN for others, null when unknown', async () => {
    const message = await sent(bob, { conversationId, content: 'entity', clientMessageId: randomUUID() });
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id seq content sender { id } } } }`;
    const r = [{ __typename: 'Message', id: message.id }];
    const member = await signedData<{ _entities: unknown[] }>(stack.messagesUrl, carol, query, { r });
    expect(member._entities).toEqual([{ id: message.id, seq: message.seq, content: 'entity', sender: { id: bob } }]);
    const other = await signedRequest(stack.messagesUrl, outsider, query, { r });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(other.data)).not.toContain('entity');
    const unknown = await signedData<{ _entities: unknown[] }>(stack.messagesUrl, carol, query, {
      r: [{ __typename: 'Message', id: randomUUID() }],
    });
    expect(unknown._entities).toEqual([null]);
  });
});

describe('editMessage and deleteMessage', () => {
  it('lets only the sender edit and delete; edit bumps the version, delete empties the content', async () => {
    const original = await sent(alice, {
      conversationId,
      content: 'first draft',
      clientMessageId: randomUUID(),
      originalLanguage: 'en',
    });

    for (const mutation of [EDIT, DELETE]) {
      const byOther = await signedRequest(stack.messagesUrl, bob, mutation, { id: original.id, content: 'hijack' });
      expect(codes(byOther)).toEqual(['FORBIDDEN']);
      const byOutsider = await signedRequest(stack.messagesUrl, outsider, mutation, {
        id: original.id,
        content: 'x',
      });
      expect(codes(byOutsider)).toEqual(['FORBIDDEN']);
      for (const id of [randomUUID(), 'not-an-id']) {
        const missing = await signedRequest(stack.messagesUrl, alice, mutation, { id, content: 'x' });
        expect(codes(missing)).toEqual(['NOT_FOUND']);
      }
    }

    const blank = await signedRequest(stack.messagesUrl, alice, EDIT, { id: original.id, content: '   ' });
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);

    const edited = await signedData<{ editMessage: SentMessage }>(stack.messagesUrl, alice, EDIT, {
      id: original.id,
      content: '  second draft ',
    });
    expect(edited.editMessage).toMatchObject({
      id: original.id,
      seq: original.seq,
      content: 'second draft',
      version: 2,
    });
    expect(edited.editMessage.editedAt).not.toBeNull();

    const deleted = await signedData<{ deleteMessage: SentMessage }>(stack.messagesUrl, alice, DELETE, {
      id: original.id,
    });
    expect(deleted.deleteMessage).toMatchObject({ id: original.id, content: '', version: 2 });
    expect(deleted.deleteMessage.deletedAt).not.toBeNull();

    const again = await signedData<{ deleteMessage: SentMessage }>(stack.messagesUrl, alice, DELETE, {
      id: original.id,
    });
    expect(again.deleteMessage).toEqual(deleted.deleteMessage);

    const editDeleted = await signedRequest(stack.messagesUrl, alice, EDIT, { id: original.id, content: 'revive' });
    expect(codes(editDeleted)).toEqual(['BAD_USER_INPUT']);

    // The relay publishes created, edited, deleted, once each, in that order.
    await stack.messages.relay.whenDrained(10_000);
    const events = (await eventsOnQueue()).filter((event) => event.messageId === original.id);
    expect(events.map((event) => [event.kind, event.version, event.content])).toEqual([
      ['message.created', 1, 'first draft'],
      ['message.edited', 2, 'second draft'],
      ['message.deleted', 2, ''],
    ]);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(3);
  });
});

describe('outbox relay in the subgraph', () => {
  it('publishes every send to the prefixed exchange, in seq order, and empties the outbox', async () => {
    await eventsOnQueue();
    const id = await stack.createConversation(bob, [carol]);
    for (let i = 0; i < 10; i += 1) {
      await sent(i % 2 ? bob : carol, {
        conversationId: id,
        content: `event ${i}`,
        clientMessageId: randomUUID(),
        originalLanguage: 'en',
      });
    }
    await stack.messages.relay.whenDrained(10_000);
    expect(await stack.messages.relay.pending()).toBe(0);
    const events = (await eventsOnQueue()).filter((event) => event.conversationId === id);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.every((event) => event.kind === 'message.created' && event.originalLanguage === 'en')).toBe(true);
  });
});
