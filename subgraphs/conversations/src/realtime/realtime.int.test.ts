import { randomUUID } from 'node:crypto';
import {
  conversationEventChannel,
  conversationEventSchema,
  type ConversationEvent,
  type RouterExtensions,
} from '@parley/common';
import { Redis } from 'ioredis';
import {
  codes,
  signedData,
  signedRequest,
  startConversationsStack,
  TEST_REDIS_URL,
  type ConversationsStack,
} from '../testing/stack';

const MARK_READ = `mutation ($c: ID!, $seq: Int!) { markRead(conversationId: $c, seq: $seq) { user { id } role lastReadSeq } }`;
const SET_TYPING = `mutation ($c: ID!, $t: Boolean!) { setTyping(conversationId: $c, isTyping: $t) }`;
const LEAVE = `mutation ($c: ID!) { leaveConversation(conversationId: $c) }`;
const ADD = `mutation ($c: ID!, $u: ID!) { addConversationMember(conversationId: $c, userId: $u) { id } }`;
const MEMBERS = `query ($c: ID!) { conversation(id: $c) { members { user { id } lastReadSeq } } }`;
const TYPING = `subscription ($c: ID!) { typing(conversationId: $c) { __typename conversationId user { id } isTyping } }`;
const TYPING_AUTHORIZE = `subscription ($c: ID!) { typing(conversationId: $c) { __typename } }`;
const READ_RECEIPTS = `subscription ($c: ID!) { readReceipts(conversationId: $c) { __typename conversationId user { id } lastReadSeq } }`;
const READ_AUTHORIZE = `subscription ($c: ID!) { readReceipts(conversationId: $c) { __typename } }`;

const TYPING_TTL_MS = 4321;
const TYPING_RATE_LIMIT = 5;

let stack: ConversationsStack;
let subscriber: Redis;
/** Every event published on any conversation channel while the suite runs, in order. */
const events: Array<{ channel: string; event: ConversationEvent }> = [];
let alice: string;
let bob: string;
let carol: string;
let outsider: string;

beforeAll(async () => {
  stack = await startConversationsStack({
    TYPING_TTL_MS: String(TYPING_TTL_MS),
    TYPING_RATE_LIMIT: String(TYPING_RATE_LIMIT),
    TYPING_RATE_WINDOW_SECONDS: '60',
  });
  subscriber = new Redis(TEST_REDIS_URL);
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    events.push({ channel, event: conversationEventSchema.parse(JSON.parse(message)) });
  });
  await subscriber.psubscribe(conversationEventChannel('*'));
  [alice, bob, carol, outsider] = await Promise.all([stack.signUp(), stack.signUp(), stack.signUp(), stack.signUp()]);
});

afterAll(async () => {
  await stack?.stop();
  subscriber?.disconnect();
});

const url = () => stack.conversationsUrl;

function eventsOf<T extends ConversationEvent['type']>(
  conversationId: string,
  type: T,
): Array<Extract<ConversationEvent, { type: T }>> {
  return events
    .filter(({ channel, event }) => channel === conversationEventChannel(conversationId) && event.type === type)
    .map(({ event }) => event as Extract<ConversationEvent, { type: T }>);
}

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Publishes a marker through the service (a typing event on a conversation of its own) and waits
 * for it: events are delivered in publish order, so whatever the service published before has
 * arrived by then, and anything missing was never published.
 */
async function flushEvents(): Promise<void> {
  const probe = await stack.createConversation(alice, [bob]);
  await signedData(url(), alice, SET_TYPING, { c: probe, t: false });
  await until('the marker event', () => eventsOf(probe, 'typing').length > 0);
}

const typingEvent = (conversationId: string, userId: string, isTyping = true): ConversationEvent => ({
  type: 'typing',
  conversationId,
  userId,
  isTyping,
  ttlMs: 5000,
  occurredAt: new Date().toISOString(),
});
const readEvent = (conversationId: string, userId: string, lastReadSeq: number): ConversationEvent => ({
  type: 'read',
  conversationId,
  userId,
  lastReadSeq,
  occurredAt: new Date().toISOString(),
});
const authorize: RouterExtensions = { subscription: { phase: 'authorize' } };
const onEvent = (event: ConversationEvent): RouterExtensions => ({ subscription: { phase: 'event', event } });

describe('membership events', () => {
  it('createConversation announces every member as joined, addConversationMember the new one', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    await until('joined events', () => eventsOf(conversationId, 'membership').length === 2);
    expect(
      eventsOf(conversationId, 'membership')
        .map(({ userId, change }) => ({ userId, change }))
        .sort((a, b) => a.userId.localeCompare(b.userId)),
    ).toEqual([alice, bob].sort().map((userId) => ({ userId, change: 'joined' })));

    await signedData(url(), alice, ADD, { c: conversationId, u: carol });
    await until('carol joined', () => eventsOf(conversationId, 'membership').some((e) => e.userId === carol));
    expect(eventsOf(conversationId, 'membership').find((e) => e.userId === carol)?.change).toBe('joined');
  });

  it('leaveConversation announces the leaver as left, after the membership is gone', async () => {
    const conversationId = await stack.createConversation(alice, [bob, carol]);
    await signedData(url(), bob, LEAVE, { c: conversationId });
    await until('left event', () => eventsOf(conversationId, 'membership').some((e) => e.change === 'left'));
    const left = eventsOf(conversationId, 'membership').filter((e) => e.change === 'left');
    expect(left).toEqual([expect.objectContaining({ conversationId, userId: bob, change: 'left' })]);
    expect(Number.isNaN(Date.parse(left[0]!.occurredAt))).toBe(false);
    // The router re-checks membership on delivery: bob is refused from now on.
    const refused = await signedRequest(
      url(),
      bob,
      TYPING,
      { c: conversationId },
      onEvent(typingEvent(conversationId, alice)),
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);
  });
});

describe('markRead', () => {
  it('only moves lastReadSeq forward and announces each advance once', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    const mark = async (seq: number) =>
      (
        await signedData<{ markRead: { user: { id: string }; role: string; lastReadSeq: number } }>(
          url(),
          bob,
          MARK_READ,
          {
            c: conversationId,
            seq,
          },
        )
      ).markRead;

    expect(await mark(3)).toEqual({ user: { id: bob }, role: 'MEMBER', lastReadSeq: 3 });
    expect((await mark(2)).lastReadSeq).toBe(3);
    expect((await mark(3)).lastReadSeq).toBe(3);
    expect((await mark(0)).lastReadSeq).toBe(3);
    expect((await mark(7)).lastReadSeq).toBe(7);
    await flushEvents();
    expect(eventsOf(conversationId, 'read').map(({ userId, lastReadSeq }) => ({ userId, lastReadSeq }))).toEqual([
      { userId: bob, lastReadSeq: 3 },
      { userId: bob, lastReadSeq: 7 },
    ]);

    const members = await signedData<{
      conversation: { members: Array<{ user: { id: string }; lastReadSeq: number }> };
    }>(url(), alice, MEMBERS, { c: conversationId });
    expect(members.conversation.members.find((m) => m.user.id === bob)?.lastReadSeq).toBe(7);
    expect(members.conversation.members.find((m) => m.user.id === alice)?.lastReadSeq).toBe(0);
  });

  it('concurrent marks end at the highest seq, each announced value an actual advance', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    const seqs = Array.from({ length: 12 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    await Promise.all(seqs.map((seq) => signedData(url(), alice, MARK_READ, { c: conversationId, seq })));
    const members = await signedData<{
      conversation: { members: Array<{ user: { id: string }; lastReadSeq: number }> };
    }>(url(), alice, MEMBERS, { c: conversationId });
    expect(members.conversation.members.find((m) => m.user.id === alice)?.lastReadSeq).toBe(12);
    await flushEvents();
    const announced = eventsOf(conversationId, 'read').map((e) => e.lastReadSeq);
    expect(announced).toContain(12);
    expect(new Set(announced).size).toBe(announced.length);
  });

  it('refuses non-members, unknown conversations and negative seqs, changing nothing', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    expect(codes(await signedRequest(url(), outsider, MARK_READ, { c: conversationId, seq: 1 }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await signedRequest(url(), bob, MARK_READ, { c: randomUUID(), seq: 1 }))).toEqual(['NOT_FOUND']);
    expect(codes(await signedRequest(url(), bob, MARK_READ, { c: conversationId, seq: -1 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await signedRequest(url(), '', MARK_READ, { c: conversationId, seq: 1 }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    await flushEvents();
    expect(eventsOf(conversationId, 'read')).toEqual([]);
    const members = await signedData<{ conversation: { members: Array<{ lastReadSeq: number }> } }>(
      url(),
      alice,
      MEMBERS,
      {
        c: conversationId,
      },
    );
    expect(members.conversation.members.map((m) => m.lastReadSeq)).toEqual([0, 0]);
  });
});

describe('setTyping', () => {
  it('announces a typing event with the configured ttl, storing nothing', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    expect(await signedData(url(), bob, SET_TYPING, { c: conversationId, t: true })).toEqual({ setTyping: true });
    expect(await signedData(url(), bob, SET_TYPING, { c: conversationId, t: false })).toEqual({ setTyping: true });
    await until('typing events', () => eventsOf(conversationId, 'typing').length === 2);
    expect(eventsOf(conversationId, 'typing')).toEqual([
      expect.objectContaining({ conversationId, userId: bob, isTyping: true, ttlMs: TYPING_TTL_MS }),
      expect.objectContaining({ conversationId, userId: bob, isTyping: false, ttlMs: TYPING_TTL_MS }),
    ]);
  });

  it('refuses non-members and unknown conversations', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    expect(codes(await signedRequest(url(), outsider, SET_TYPING, { c: conversationId, t: true }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await signedRequest(url(), bob, SET_TYPING, { c: randomUUID(), t: true }))).toEqual(['NOT_FOUND']);
    await flushEvents();
    expect(eventsOf(conversationId, 'typing')).toEqual([]);
  });

  it('is rate-limited per user and conversation', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    for (let i = 0; i < TYPING_RATE_LIMIT; i++) {
      await signedData(url(), bob, SET_TYPING, { c: conversationId, t: true });
    }
    expect(codes(await signedRequest(url(), bob, SET_TYPING, { c: conversationId, t: true }))).toEqual([
      'RATE_LIMITED',
    ]);
    // Another member of the same conversation has a budget of their own.
    await signedData(url(), alice, SET_TYPING, { c: conversationId, t: true });
  });
});

describe.each([
  {
    field: 'typing',
    full: TYPING,
    stub: TYPING_AUTHORIZE,
    event: (conversationId: string, userId: string) => typingEvent(conversationId, userId, true),
    expected: (conversationId: string, userId: string) => ({
      __typename: 'TypingEvent',
      conversationId,
      user: { id: userId },
      isTyping: true,
    }),
    otherKind: (conversationId: string, userId: string) => readEvent(conversationId, userId, 1),
  },
  {
    field: 'readReceipts',
    full: READ_RECEIPTS,
    stub: READ_AUTHORIZE,
    event: (conversationId: string, userId: string) => readEvent(conversationId, userId, 42),
    expected: (conversationId: string, userId: string) => ({
      __typename: 'ReadReceipt',
      conversationId,
      user: { id: userId },
      lastReadSeq: 42,
    }),
    otherKind: (conversationId: string, userId: string) => typingEvent(conversationId, userId),
  },
])(
  'Subscription.$field executed by the router over signed HTTP',
  ({ field, full, stub, event, expected, otherKind }) => {
    let conversationId: string;
    let other: string;

    beforeAll(async () => {
      conversationId = await stack.createConversation(alice, [bob]);
      other = await stack.createConversation(alice, [carol]);
    });

    it('authorize: a member gets the stub', async () => {
      expect(await signedData(url(), bob, stub, { c: conversationId }, authorize)).toEqual({
        [field]: { __typename: expected(conversationId, alice).__typename },
      });
    });

    it('authorize: a non-member is FORBIDDEN, an unknown conversation NOT_FOUND, an anonymous caller UNAUTHENTICATED', async () => {
      const refused = await signedRequest(url(), outsider, stub, { c: conversationId }, authorize);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data ?? null).toBeNull();
      expect(codes(await signedRequest(url(), bob, stub, { c: randomUUID() }, authorize))).toEqual(['NOT_FOUND']);
      expect(codes(await signedRequest(url(), '', stub, { c: conversationId }, authorize))).toEqual([
        'UNAUTHENTICATED',
      ]);
    });

    it("event: resolves the event's data for a member", async () => {
      expect(await signedData(url(), bob, full, { c: conversationId }, onEvent(event(conversationId, alice)))).toEqual({
        [field]: expected(conversationId, alice),
      });
    });

    it('event: a non-member gets FORBIDDEN and none of the event', async () => {
      const refused = await signedRequest(
        url(),
        outsider,
        full,
        { c: conversationId },
        onEvent(event(conversationId, alice)),
      );
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(refused)).not.toContain(alice);
    });

    it('event: an event of another conversation or of another kind is rejected', async () => {
      // bob is a member of conversationId, not of other; alice of both.
      expect(
        codes(await signedRequest(url(), alice, full, { c: conversationId }, onEvent(event(other, carol)))),
      ).toEqual(['BAD_USER_INPUT']);
      expect(
        codes(await signedRequest(url(), bob, full, { c: conversationId }, onEvent(otherKind(conversationId, alice)))),
      ).toEqual(['BAD_USER_INPUT']);
    });

    it('without the router step (not a router execution) it fails clearly', async () => {
      expect(codes(await signedRequest(url(), bob, full, { c: conversationId }))).toEqual(['BAD_USER_INPUT']);
    });
  },
);
