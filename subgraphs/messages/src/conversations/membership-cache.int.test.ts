import { randomUUID } from 'node:crypto';
import { signedRequestData } from '@parley/common/testing';
import pg from 'pg';
import { codes, signedRequest, startMessagesStack, TEST_DATABASE_URL, type MessagesStack } from '../testing/stack';

const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }`;
const LEAVE = `mutation ($id: ID!) { leaveConversation(conversationId: $id) }`;
const ADD = `mutation ($id: ID!, $userId: ID!) { addConversationMember(conversationId: $id, userId: $userId) { id } }`;

let stack: MessagesStack;
let db: pg.Client;
let alice: string;
let bob: string;
let carol: string;

beforeAll(async () => {
  stack = await startMessagesStack({ env: { OUTBOX_RELAY_ENABLED: 'false' } });
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  [alice, bob, carol] = await Promise.all([stack.signUp('en'), stack.signUp('fr'), stack.signUp('de')]);
  // The cache goes live once its SUBSCRIBE is confirmed.
  const deadline = Date.now() + 5_000;
  while (!(await cacheIsLive()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
});

afterAll(async () => {
  await stack?.stop();
  await db?.end();
});

/** Whether the cache stores what it is given (only while live); leaves no entry behind. */
async function cacheIsLive(): Promise<boolean> {
  const probe = randomUUID();
  stack.messages.membershipCache.startFill().finish(new Map([[probe, []]]));
  const live = stack.messages.membershipCache.get(probe) !== undefined;
  stack.messages.membershipCache.invalidate(probe);
  return live;
}

const send = (userId: string, conversationId: string) =>
  signedRequest<{ sendMessage: { id: string; seq: number } }>(stack.messagesUrl, userId, SEND, {
    input: { conversationId, content: 'hello', clientMessageId: randomUUID(), originalLanguage: 'en' },
  });

async function storedRows(conversationId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from "messages"."message" where "conversation_id" = $1',
    [conversationId],
  );
  return rows[0]!.n;
}

describe('membership cache', () => {
  it('is live while subscribed to membership events', async () => {
    expect(await cacheIsLive()).toBe(true);
  });

  it('refuses a member who left right after leaving, although a send had just cached them', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    expect((await send(bob, conversationId)).data?.sendMessage.seq).toBe(1);
    expect(stack.messages.membershipCache.get(conversationId)).toContain(bob);

    await signedRequestData(stack.conversationsUrl, bob, LEAVE, { id: conversationId });
    const refused = await send(bob, conversationId);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.data).toBeNull();
    expect(await storedRows(conversationId)).toBe(1);
    // The others are unaffected.
    expect((await send(alice, conversationId)).data?.sendMessage.seq).toBe(2);
  });

  it('lets a member who joined send at once, although the cached list did not have them', async () => {
    const conversationId = await stack.createConversation(alice, [carol]);
    expect(codes(await send(bob, conversationId))).toEqual(['FORBIDDEN']);
    expect(stack.messages.membershipCache.get(conversationId)).not.toContain(bob);

    await signedRequestData(stack.conversationsUrl, alice, ADD, { id: conversationId, userId: bob });
    expect((await send(bob, conversationId)).data?.sendMessage.seq).toBe(1);
  });

  it('lets a member who joined send even when the joined event never reached the cache', async () => {
    const conversationId = await stack.createConversation(alice, [carol]);
    await send(alice, conversationId);
    const stale = stack.messages.membershipCache.get(conversationId)!;
    expect(stale).not.toContain(bob);
    await signedRequestData(stack.conversationsUrl, alice, ADD, { id: conversationId, userId: bob });
    // As if the event were lost: the cache holds the list from before the join again.
    stack.messages.membershipCache.startFill().finish(new Map([[conversationId, stale]]));
    expect(stack.messages.membershipCache.get(conversationId)).not.toContain(bob);
    expect((await send(bob, conversationId)).data?.sendMessage.seq).toBe(2);
    // The second look refilled the cache with the current members.
    expect(stack.messages.membershipCache.get(conversationId)).toContain(bob);
  });

  it('answers from the cache for repeated sends, and from the conversations subgraph once the entry is gone', async () => {
    const conversationId = await stack.createConversation(alice, [bob]);
    await send(alice, conversationId);
    const cached = stack.messages.membershipCache.get(conversationId);
    expect(cached).toBeDefined();
    await send(alice, conversationId);
    // The same list object: served from the cache, not fetched again.
    expect(stack.messages.membershipCache.get(conversationId)).toBe(cached);

    stack.messages.membershipCache.setLive(false);
    expect(stack.messages.membershipCache.get(conversationId)).toBeUndefined();
    expect((await send(alice, conversationId)).data?.sendMessage.seq).toBe(3);
    // Offline: nothing was stored.
    expect(stack.messages.membershipCache.get(conversationId)).toBeUndefined();
    stack.messages.membershipCache.setLive(true);
  });
});
