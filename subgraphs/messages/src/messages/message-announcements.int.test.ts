import { randomUUID } from 'node:crypto';
import { conversationEventChannel, createLogger, type MessageChangeEvent } from '@parley/common';
import { startMessagesSubgraph, type RunningMessagesSubgraph } from '../app';
import { loadMessagesConfig } from '../config';
import { listenToChannels, type ChannelListener } from '../testing/realtime';
import {
  discardOutboxRows,
  signedData,
  startMessagesStack,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniqueAmqpPrefix,
  type MessagesStack,
} from '../testing/stack';

/*
 * After a send, an edit or a deletion commits, the messages subgraph announces it on the
 * conversation's Redis channel for the routers' subscription layer; observed here as a router's
 * subscriber would, with an ioredis subscriber.
 */

const SEND = `mutation ($input: SendMessageInput!) {
  sendMessage(input: $input) { id conversationId sender { id } seq originalLanguage version createdAt }
}`;
const EDIT = `mutation ($id: ID!, $content: String!) { editMessage(id: $id, content: $content) { version editedAt } }`;
const DELETE = `mutation ($id: ID!) { deleteMessage(id: $id) { version deletedAt } }`;
const MESSAGES_SINCE = `query ($r: [_Any!]!) {
  _entities(representations: $r) { ... on Conversation { messagesSince(afterSeq: 0) { id content } } }
}`;

interface SentMessage {
  id: string;
  conversationId: string;
  sender: { id: string };
  seq: number;
  originalLanguage: string;
  version: number;
  createdAt: string;
}

let stack: MessagesStack;
let alice: string;
let bob: string;

beforeAll(async () => {
  stack = await startMessagesStack({ env: { AMQP_PREFIX: uniqueAmqpPrefix(), OUTBOX_RELAY_ENABLED: 'false' } });
  [alice, bob] = await Promise.all([stack.signUp('en'), stack.signUp('fr')]);
});

afterAll(async () => {
  await stack?.stop();
  // The relay is off here: its outbox rows are not for the next test's relay to publish.
  if (stack) await discardOutboxRows(stack.conversationIds);
});

function send(url: string, userId: string, conversationId: string, content: string, clientMessageId = randomUUID()) {
  return signedData<{ sendMessage: SentMessage }>(url, userId, SEND, {
    input: { conversationId, content, clientMessageId, originalLanguage: 'en' },
  }).then((data) => data.sendMessage);
}

/** A conversation of its own per test, and a subscriber to its channel. */
async function listenedConversation(): Promise<{ id: string; listener: ChannelListener<MessageChangeEvent> }> {
  const id = await stack.createConversation(alice, [bob]);
  return { id, listener: await listenToChannels<MessageChangeEvent>(TEST_REDIS_URL, [conversationEventChannel(id)]) };
}

const about = (type: MessageChangeEvent['type'], messageId: string) => (event: MessageChangeEvent) =>
  event.type === type && event.messageId === messageId;

describe('sendMessage', () => {
  it('announces a new message exactly once, and nothing for an idempotent repeat', async () => {
    const { id, listener } = await listenedConversation();
    try {
      const clientMessageId = randomUUID();
      const message = await send(stack.messagesUrl, alice, id, 'hello', clientMessageId);
      expect(await listener.next(about('message.created', message.id))).toEqual({
        type: 'message.created',
        messageId: message.id,
        conversationId: id,
        seq: 1,
        version: 1,
        originalLanguage: 'en',
        senderId: alice,
        occurredAt: message.createdAt,
      });

      const repeats = await Promise.all([
        send(stack.messagesUrl, alice, id, 'hello again', clientMessageId),
        send(stack.messagesUrl, alice, id, 'hello again', clientMessageId),
      ]);
      expect(repeats.map((repeat) => repeat.id)).toEqual([message.id, message.id]);

      // Announcements leave on one connection in call order: once the next message's event is
      // here, any event of the repeats (made before it) would be too.
      const next = await send(stack.messagesUrl, bob, id, 'next');
      await listener.next(about('message.created', next.id));
      expect(listener.events.map((event) => [event.type, event.messageId, event.seq])).toEqual([
        ['message.created', message.id, 1],
        ['message.created', next.id, 2],
      ]);
    } finally {
      await listener.stop();
    }
  });

  it('announces on the conversation channel only', async () => {
    const { id, listener } = await listenedConversation();
    try {
      const elsewhere = await stack.createConversation(alice, [bob]);
      await send(stack.messagesUrl, alice, elsewhere, 'somewhere else');
      const here = await send(stack.messagesUrl, alice, id, 'here');
      await listener.next(about('message.created', here.id));
      expect(listener.events.map((event) => event.conversationId)).toEqual([id]);
    } finally {
      await listener.stop();
    }
  });
});

describe('editMessage and deleteMessage', () => {
  it('announce an edit (new version) and a deletion once each; no-op edits and repeated deletions announce nothing', async () => {
    const { id, listener } = await listenedConversation();
    try {
      const message = await send(stack.messagesUrl, alice, id, 'first');
      await listener.next(about('message.created', message.id));

      const edit = await signedData<{ editMessage: { version: number; editedAt: string } }>(
        stack.messagesUrl,
        alice,
        EDIT,
        { id: message.id, content: 'second' },
      );
      expect(await listener.next(about('message.edited', message.id))).toEqual({
        type: 'message.edited',
        messageId: message.id,
        conversationId: id,
        seq: 1,
        version: 2,
        originalLanguage: 'en',
        senderId: alice,
        occurredAt: edit.editMessage.editedAt,
      });

      // The same text again changes nothing, so it announces nothing.
      await signedData(stack.messagesUrl, alice, EDIT, { id: message.id, content: '  second ' });

      const deletion = await signedData<{ deleteMessage: { version: number; deletedAt: string } }>(
        stack.messagesUrl,
        alice,
        DELETE,
        { id: message.id },
      );
      expect(await listener.next(about('message.deleted', message.id))).toEqual({
        type: 'message.deleted',
        messageId: message.id,
        conversationId: id,
        seq: 1,
        version: 2,
        originalLanguage: 'en',
        senderId: alice,
        occurredAt: deletion.deleteMessage.deletedAt,
      });
      await signedData(stack.messagesUrl, alice, DELETE, { id: message.id });

      const barrier = await send(stack.messagesUrl, alice, id, 'barrier');
      await listener.next(about('message.created', barrier.id));
      expect(listener.events.map((event) => [event.type, event.version])).toEqual([
        ['message.created', 1],
        ['message.edited', 2],
        ['message.deleted', 2],
        ['message.created', 1],
      ]);
    } finally {
      await listener.stop();
    }
  });
});

describe('while Redis cannot be reached', () => {
  let isolated: RunningMessagesSubgraph;

  beforeAll(async () => {
    // A second messages subgraph on the same database and services, publishing to a closed port.
    isolated = await startMessagesSubgraph(
      loadMessagesConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: 'redis://127.0.0.1:1',
        MESSAGES_PORT: '0',
        USERS_URL: stack.usersUrl,
        CONVERSATIONS_URL: stack.conversationsUrl,
        OUTBOX_RELAY_ENABLED: 'false',
      }),
      { logger: createLogger('messages-test', 'silent') },
    );
  });

  afterAll(async () => {
    await isolated?.stop();
  });

  it('sends, edits and deletes as quickly as ever, and stores every change', async () => {
    const id = await stack.createConversation(alice, [bob]);
    const durations: number[] = [];
    const sent: SentMessage[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      sent.push(await send(isolated.url, i % 2 ? bob : alice, id, `message ${i}`));
      durations.push(performance.now() - started);
    }
    expect(sent.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
    // Far below the publisher's own timeout (500 ms): the send never waits for Redis.
    expect(Math.max(...durations)).toBeLessThan(400);

    const started = performance.now();
    await signedData(isolated.url, alice, EDIT, { id: sent[0]!.id, content: 'edited' });
    await signedData(isolated.url, alice, DELETE, { id: sent[2]!.id });
    expect(performance.now() - started).toBeLessThan(800);

    const read = await signedData<{ _entities: Array<{ messagesSince: Array<{ id: string; content: string }> }> }>(
      stack.messagesUrl,
      bob,
      MESSAGES_SINCE,
      { r: [{ __typename: 'Conversation', id }] },
    );
    expect(read._entities[0]?.messagesSince.map((message) => message.content)).toEqual([
      'edited',
      'message 1',
      '',
      'message 3',
      'message 4',
    ]);
  });
});
