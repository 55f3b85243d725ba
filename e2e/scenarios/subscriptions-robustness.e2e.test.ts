import type { Client as WsClient } from 'graphql-ws';
import { redis } from '../support/faults';
import { createGroup, send, SINCE, waitFor } from '../support/messaging';
import { startStack, type Stack } from '../support/stack';
import { connect, RawSocket, subscribe, untilSubscribed } from '../support/subscriptions';
import { signUpUser, type TestUser } from '../support/users';

const ADDED = `subscription ($conversationId: ID!) { messageAdded(conversationId: $conversationId) { id seq text { status } } }`;

interface Added {
  messageAdded: { id: string; seq: number };
}

describe('the WebSocket endpoint: protocol, limits, instances and faults', () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;
  const clients: WsClient[] = [];
  const sockets: RawSocket[] = [];
  const open = (user: TestUser, routerUrl = stack.routerUrl, retryAttempts = 0) => {
    const client = connect(routerUrl, user.token, { retryAttempts });
    clients.push(client);
    return client;
  };
  const raw = (routerUrl = stack.routerUrl) => {
    const socket = new RawSocket(routerUrl);
    sockets.push(socket);
    return socket;
  };
  const subscribeFrame = (id: string) => ({
    id,
    type: 'subscribe',
    payload: { query: ADDED, variables: { conversationId } },
  });

  beforeAll(async () => {
    await redis.start().catch(() => undefined);
    stack = await startStack({
      env: {
        WS_CONNECTION_INIT_TIMEOUT_MS: '500',
        WS_MAX_MESSAGE_BYTES: '20000',
        WS_MAX_SUBSCRIPTIONS: '3',
        WS_KEEPALIVE_MS: '300',
      },
    });
    [alice, bob] = await Promise.all([
      signUpUser(stack.routerUrl, 'en', 'alice'),
      signUpUser(stack.routerUrl, 'en', 'bob'),
    ]);
    conversationId = (await createGroup(alice, [bob])).id;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await stack?.stop();
  });

  describe('close codes (graphql-transport-ws)', () => {
    it('4403 for a missing or invalid token', async () => {
      const missing = raw();
      await missing.opened;
      missing.send({ type: 'connection_init', payload: {} });
      expect((await missing.closed).code).toBe(4403);
      const invalid = raw();
      await invalid.opened;
      invalid.send({ type: 'connection_init', payload: { authorization: 'Bearer not.a.token' } });
      expect((await invalid.closed).code).toBe(4403);
    });

    it('4408 when connection_init does not come in time', async () => {
      const socket = raw();
      await socket.opened;
      expect((await socket.closed).code).toBe(4408);
    });

    it('4401 for a subscribe before the ack', async () => {
      const socket = raw();
      await socket.opened;
      socket.send(subscribeFrame('1'));
      expect((await socket.closed).code).toBe(4401);
    });

    it('4429 for a second connection_init', async () => {
      const socket = raw();
      await socket.init(bob.token);
      socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${bob.token}` } });
      expect((await socket.closed).code).toBe(4429);
    });

    it('4409 for a duplicate operation id', async () => {
      const socket = raw();
      await socket.init(bob.token);
      socket.send(subscribeFrame('same'));
      await untilSubscribed(() => stack.router!.subscriptions.stats, 1);
      socket.send(subscribeFrame('same'));
      expect((await socket.closed).code).toBe(4409);
    });

    it('4400 for a message that is not the protocol', async () => {
      const socket = raw();
      await socket.init(bob.token);
      socket.send({ type: 'no-such-type' });
      expect((await socket.closed).code).toBe(4400);
    });

    it('1009 for a message over the size limit', async () => {
      const socket = raw();
      await socket.init(bob.token);
      socket.send({ id: '1', type: 'subscribe', payload: { query: `{ __typename } #${'x'.repeat(30_000)}` } });
      expect((await socket.closed).code).toBe(1009);
    });
  });

  describe('limits and keep-alive', () => {
    it('refuses a subscription beyond the per-connection maximum, keeping the others', async () => {
      const socket = raw();
      await socket.init(bob.token);
      for (const id of ['1', '2', '3', '4']) socket.send(subscribeFrame(id));
      const refused = await socket.waitFor((message) => message.id === '4' && message.type === 'error');
      expect(refused.payload[0].extensions.code).toBe('RATE_LIMITED');
      await untilSubscribed(() => stack.router!.subscriptions.stats, 3);
    });

    it('rate-limits operations per connection', async () => {
      const limited = await stack.startRouter({ WS_OPERATIONS_PER_SECOND: '1' });
      const socket = raw(limited.url);
      await socket.init(bob.token);
      for (const id of ['a', 'b', 'c', 'd'])
        socket.send({ id, type: 'subscribe', payload: { query: '{ me { id } }' } });
      const refused = await socket.waitFor((message) => message.type === 'error');
      expect(refused.payload[0].extensions.code).toBe('RATE_LIMITED');
    });

    it('pings an idle connection to keep it alive', async () => {
      const socket = raw();
      await socket.init(bob.token);
      await new Promise<void>((resolve) => socket.socket.once('ping', () => resolve()));
    });

    it('answers a subscription sent over HTTP with a clear BAD_USER_INPUT (400)', async () => {
      const result = await bob.client.request(ADDED, { conversationId });
      expect(result.status).toBe(400);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses @skip or @include on the root field with a validation error, keeping the socket', async () => {
      const socket = raw();
      await socket.init(bob.token);
      const skipped = `subscription ($c: ID!, $s: Boolean!) { messageAdded(conversationId: $c) @include(if: $s) { id } }`;
      socket.send({
        id: 'd',
        type: 'subscribe',
        payload: { query: skipped, variables: { c: conversationId, s: true } },
      });
      const refused = await socket.waitFor((message) => message.id === 'd' && message.type === 'error');
      expect(refused.payload[0]).toMatchObject({
        message: expect.stringMatching(/root field cannot have @skip or @include/),
        locations: [{ line: 1, column: expect.any(Number) }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      socket.send(subscribeFrame('after'));
      await untilSubscribed(() => stack.router!.subscriptions.stats, 1);
    });

    it('answers an invalid query or mutation with an error message, as for a subscription', async () => {
      const socket = raw();
      await socket.init(bob.token);
      socket.send({ id: 'bad', type: 'subscribe', payload: { query: '{ nope }' } });
      const message = await socket.waitFor((frame) => frame.id === 'bad');
      expect(message.type).toBe('error');
      expect(message.payload[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('runs queries and mutations over the same socket', async () => {
      const socket = raw();
      await socket.init(bob.token);
      socket.send({ id: 'q', type: 'subscribe', payload: { query: '{ me { id } }' } });
      const next = await socket.waitFor((message) => message.id === 'q' && message.type === 'next');
      expect(next.payload).toEqual({ data: { me: { id: bob.id } } });
    });
  });

  it('delivers a message sent through one router to a subscriber of another', async () => {
    const second = await stack.startRouter();
    const reader = subscribe<Added>(open(bob, second.url), ADDED, { conversationId });
    await untilSubscribed(() => second.subscriptions.stats, 1);
    const message = await send(alice, conversationId, 'Across routers');
    await reader.untilCount(1);
    expect(reader.data[0]!.messageAdded.id).toBe(message.id);
  });

  it('keeps sending while Redis is down, resumes by itself, and messagesSince fills the gap', async () => {
    const reader = subscribe<Added>(open(bob), ADDED, { conversationId });
    await untilSubscribed(() => stack.router!.subscriptions.stats, 1);
    const before = await send(alice, conversationId, 'Before the outage');
    await reader.until((self) => self.data.some((d) => d.messageAdded.id === before.id));
    const lastSeen = reader.data.at(-1)!.messageAdded.seq;
    const during: number[] = [];
    try {
      await redis.stop();
      for (let i = 0; i < 3; i += 1) during.push((await send(alice, conversationId, `During the outage ${i}`)).seq);
    } finally {
      await redis.start();
    }
    // The same subscription carries new messages again without the client doing anything.
    await waitFor(
      async () => {
        const probe = await send(alice, conversationId, 'After the outage');
        await new Promise((resolve) => setTimeout(resolve, 300));
        return reader.data.some((d) => d.messageAdded.id === probe.id) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'live events after Redis is back' },
    );
    const since = await bob.client.data<{ conversation: { messagesSince: Array<{ seq: number }> } }>(SINCE, {
      id: conversationId,
      after: lastSeen,
    });
    const caughtUp = since.conversation.messagesSince.map((message) => message.seq);
    expect(caughtUp.slice(0, 3)).toEqual(during);
    const all = new Set([...reader.data.map((d) => d.messageAdded.seq), ...caughtUp]);
    const expected = Array.from({ length: Math.max(...all) - lastSeen + 1 }, (_, i) => lastSeen + i);
    expect([...all].filter((seq) => seq >= lastSeen).sort((a, b) => a - b)).toEqual(expected);
  });

  it('a client that drops its socket mid-burst and catches up ends with every message once, in order', async () => {
    const { id: burstConversation } = await createGroup(alice, [bob]);
    const first = subscribe<Added>(open(bob), ADDED, { conversationId: burstConversation });
    await untilSubscribed(() => stack.router!.subscriptions.stats, 1);
    const total = 30;
    const burst = (async () => {
      for (let i = 1; i <= total; i += 1) await send(alice, burstConversation, `Burst ${i}`);
    })();
    await first.until((self) => self.results.length >= 8);
    clients[0]!.terminate();
    const seen = first.data.map((d) => d.messageAdded.seq);
    const lastSeen = seen.at(-1)!;
    await waitFor(async () => (stack.router!.subscriptions.stats.subscribers === 0 ? true : undefined), {
      what: 'the dropped subscription to end',
      intervalMs: 5,
    });
    const second = subscribe<Added>(open(bob), ADDED, { conversationId: burstConversation });
    // The client catches up once its new subscription is live (a web client cannot see that, and
    // so also fills any seq gap it notices: web/src/client does).
    await untilSubscribed(() => stack.router!.subscriptions.stats, 1);
    const since = await bob.client.data<{ conversation: { messagesSince: Array<{ seq: number }> } }>(SINCE, {
      id: burstConversation,
      after: lastSeen,
    });
    await burst;
    await second.until((self) => self.data.some((d) => d.messageAdded.seq === total));
    const live = second.data.map((d) => d.messageAdded.seq);
    // Each stream on its own is in order without repeats; the client merges them by seq.
    for (const stream of [seen, live]) expect(stream).toEqual([...new Set(stream)].sort((a, b) => a - b));
    const merged = [...new Set([...seen, ...since.conversation.messagesSince.map((m) => m.seq), ...live])].sort(
      (a, b) => a - b,
    );
    expect(merged).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('shuts down gracefully: an event being resolved is delivered, then sockets close with 1001', async () => {
    const carol = await signUpUser(stack.routerUrl, 'fr', 'carol');
    const { id: french } = await createGroup(alice, [carol]);
    const doomed = await stack.startRouter();
    const reader = subscribe<Added>(open(carol, doomed.url), ADDED, { conversationId: french });
    await untilSubscribed(() => doomed.subscriptions.stats, 1);
    const message = await send(alice, french, 'Waiting for its French translation at shutdown');
    // Carol reads French: her event waits for the translation while the router is asked to stop.
    await waitFor(async () => (doomed.subscriptions.stats.pending > 0 ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 2,
      what: 'an event in flight',
    });
    await doomed.stop();
    await reader.until((self) => self.closeCode !== undefined || self.completed);
    expect(reader.data.map((d) => d.messageAdded.id)).toEqual([message.id]);
    expect(reader.closeCode).toBe(1001);
  });
});
