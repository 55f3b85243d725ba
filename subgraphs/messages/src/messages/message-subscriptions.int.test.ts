import { randomUUID } from 'node:crypto';
import type { MessageChangeEvent, RouterExtensions } from '@parley/common';
import {
  codes,
  discardOutboxRows,
  signedData,
  signedRequest,
  startMessagesStack,
  uniqueAmqpPrefix,
  type MessagesStack,
} from '../testing/stack';

/*
 * messageAdded / messageUpdated as the router executes them: a signed POST of a `subscription`
 * operation, with the step (authorize, or one event) in the signed `extensions.parley`.
 */

const SEND = `mutation ($input: SendMessageInput!) {
  sendMessage(input: $input) { id conversationId sender { id } seq content originalLanguage version }
}`;
const EDIT = `mutation ($id: ID!, $content: String!) { editMessage(id: $id, content: $content) { id version } }`;
const DELETE = `mutation ($id: ID!) { deleteMessage(id: $id) { id } }`;
const FIELDS = 'id conversationId sender { id } seq content originalLanguage version editedAt deletedAt';
const subscription = (field: 'messageAdded' | 'messageUpdated', selection: string) =>
  `subscription ($conversationId: ID!) { ${field}(conversationId: $conversationId) { ${selection} } }`;

interface SentMessage {
  id: string;
  conversationId: string;
  sender: { id: string };
  seq: number;
  content: string;
  originalLanguage: string;
  version: number;
}

const AUTHORIZE: RouterExtensions = { subscription: { phase: 'authorize' } };

let stack: MessagesStack;
let alice: string;
let bob: string;
let outsider: string;
let conversationId: string;
let otherConversationId: string;

beforeAll(async () => {
  stack = await startMessagesStack({ env: { AMQP_PREFIX: uniqueAmqpPrefix(), OUTBOX_RELAY_ENABLED: 'false' } });
  [alice, bob, outsider] = await Promise.all([stack.signUp('en'), stack.signUp('fr'), stack.signUp('de')]);
  conversationId = await stack.createConversation(alice, [bob]);
  otherConversationId = await stack.createConversation(alice, [outsider]);
});

afterAll(async () => {
  await stack?.stop();
  // The relay is off here: its outbox rows are not for the next test's relay to publish.
  if (stack) await discardOutboxRows(stack.conversationIds);
});

async function send(userId: string, toConversation: string, content: string): Promise<SentMessage> {
  const data = await signedData<{ sendMessage: SentMessage }>(stack.messagesUrl, userId, SEND, {
    input: { conversationId: toConversation, content, clientMessageId: randomUUID(), originalLanguage: 'en' },
  });
  return data.sendMessage;
}

/** The event the messages subgraph announces for `message`, as the router hands it back. */
const eventOf = (
  type: MessageChangeEvent['type'],
  message: SentMessage,
  override: Partial<MessageChangeEvent> = {},
): RouterExtensions => ({
  subscription: {
    phase: 'event',
    event: {
      type,
      messageId: message.id,
      conversationId: message.conversationId,
      seq: message.seq,
      version: message.version,
      originalLanguage: message.originalLanguage,
      senderId: message.sender.id,
      occurredAt: new Date().toISOString(),
      ...override,
    },
  },
});

const execute = <T = Record<string, any>>(
  userId: string,
  query: string,
  extensions: RouterExtensions | undefined,
  forConversation = conversationId,
) => signedRequest<T>(stack.messagesUrl, userId, query, { conversationId: forConversation }, extensions);

it('declares both fields in the subgraph schema', async () => {
  const data = await signedData<{ _service: { sdl: string } }>(stack.messagesUrl, alice, '{ _service { sdl } }');
  const block = /type Subscription \{[^}]*\}/.exec(data._service.sdl)?.[0] ?? '';
  expect(block).toMatch(/messageAdded\(conversationId: ID!\): Message!/);
  expect(block).toMatch(/messageUpdated\(conversationId: ID!\): Message!/);
});

describe.each(['messageAdded', 'messageUpdated'] as const)('%s', (field) => {
  describe('authorize step', () => {
    it('answers the stub to a member', async () => {
      for (const member of [alice, bob]) {
        const result = await execute(member, subscription(field, '__typename'), AUTHORIZE);
        expect(result.errors).toBeUndefined();
        expect(result.data).toEqual({ [field]: { __typename: 'Message' } });
      }
    });

    it('is FORBIDDEN, with no data, to a non-member', async () => {
      const result = await execute(outsider, subscription(field, '__typename'), AUTHORIZE);
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(result.data).toBeNull();
    });

    it('is NOT_FOUND for a conversation that does not exist', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const result = await execute(alice, subscription(field, '__typename'), AUTHORIZE, id);
        expect(codes(result)).toEqual(['NOT_FOUND']);
      }
    });

    it('refuses to run outside the router subscription execution', async () => {
      const result = await execute(alice, subscription(field, '__typename'), undefined);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.data).toBeNull();
    });

    it('is UNAUTHENTICATED for an anonymous caller', async () => {
      const result = await execute('', subscription(field, '__typename'), AUTHORIZE);
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('event step', () => {
    it('answers the message the event names, read from the database', async () => {
      const message = await send(alice, conversationId, `hello for ${field}`);
      const result = await execute<Record<string, SentMessage>>(
        bob,
        subscription(field, FIELDS),
        eventOf('message.created', message),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.[field]).toEqual({ ...message, editedAt: null, deletedAt: null });
    });

    it('refuses an event of another conversation, with no data', async () => {
      const elsewhere = await send(alice, otherConversationId, 'not for bob');
      // The event's own conversation differs from the argument.
      const foreign = await execute(alice, subscription(field, FIELDS), eventOf('message.created', elsewhere));
      expect(codes(foreign)).toEqual(['BAD_USER_INPUT']);
      expect(foreign.data).toBeNull();
      // A forged event that claims this conversation for a message of another one.
      const forged = await execute(
        bob,
        subscription(field, FIELDS),
        eventOf('message.created', elsewhere, { conversationId }),
      );
      expect(codes(forged)).toEqual(['NOT_FOUND']);
      expect(forged.data).toBeNull();
      expect(JSON.stringify(forged)).not.toContain('not for bob');
    });

    it('is FORBIDDEN, with no data, to a non-member', async () => {
      const message = await send(alice, conversationId, 'members only');
      const result = await execute(outsider, subscription(field, FIELDS), eventOf('message.created', message));
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(result.data).toBeNull();
      expect(JSON.stringify(result)).not.toContain('members only');
    });
  });
});

describe('event kinds', () => {
  it('messageAdded takes message.created only', async () => {
    const message = await send(alice, conversationId, 'created only');
    for (const type of ['message.edited', 'message.deleted'] as const) {
      const result = await execute(bob, subscription('messageAdded', 'id'), eventOf(type, message));
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.message).toMatch(/does not belong to this field/);
    }
  });

  it('messageUpdated takes edits, deletions and (late translations of) creations, answering the current state', async () => {
    const message = await send(alice, conversationId, 'first version');
    const created = await execute<{ messageUpdated: SentMessage }>(
      bob,
      subscription('messageUpdated', FIELDS),
      eventOf('message.created', message),
    );
    expect(created.data?.messageUpdated).toMatchObject({ id: message.id, content: 'first version', version: 1 });

    await signedData(stack.messagesUrl, alice, EDIT, { id: message.id, content: 'second version' });
    const edited = await execute<{ messageUpdated: SentMessage & { editedAt: string | null } }>(
      bob,
      subscription('messageUpdated', FIELDS),
      eventOf('message.edited', message, { version: 2 }),
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data?.messageUpdated).toMatchObject({ id: message.id, content: 'second version', version: 2 });
    expect(edited.data?.messageUpdated.editedAt).toEqual(expect.any(String));

    await signedData(stack.messagesUrl, alice, DELETE, { id: message.id });
    const deleted = await execute<{ messageUpdated: SentMessage & { deletedAt: string | null } }>(
      bob,
      subscription('messageUpdated', FIELDS),
      eventOf('message.deleted', message, { version: 2 }),
    );
    expect(deleted.data?.messageUpdated).toMatchObject({ id: message.id, content: '', version: 2 });
    expect(deleted.data?.messageUpdated.deletedAt).toEqual(expect.any(String));
  });

  it('refuses events that are not about messages', async () => {
    const result = await execute(bob, subscription('messageUpdated', 'id'), {
      subscription: {
        phase: 'event',
        event: {
          type: 'typing',
          conversationId,
          userId: alice,
          isTyping: true,
          ttlMs: 5_000,
          occurredAt: new Date().toISOString(),
        },
      },
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toMatch(/does not belong to this field/);
  });
});
