import WebSocket from 'ws';
import { createGroup, EDIT, send, waitFor } from '../../../e2e/support/messaging';
import { startStack, type Stack } from '../../../e2e/support/stack';
import { signUpUser, type TestUser } from '../../../e2e/support/users';
import { followConversation, type ConversationFeed, type FeedMessage } from './conversation-feed';
import { createParleyClient, type ParleyClient } from './create-parley-client';
import type { MessageSource } from './seq-merger';

/** A `ws` WebSocket that remembers every socket the client opens, so a test can cut one. */
function recordingWebSocket(sockets: WebSocket[]) {
  return class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  };
}

/** A gate the reconnect waits behind, so a test decides how long the socket stays down. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('the web client follows a conversation through the router across socket drops', () => {
  let stack: Stack;
  let reader: TestUser;
  let writer: TestUser;
  let conversationId: string;
  let client: ParleyClient | undefined;
  let feed: ConversationFeed | undefined;

  beforeAll(async () => {
    stack = await startStack();
    [reader, writer] = await Promise.all([
      signUpUser(stack.routerUrl, 'en', 'reader'),
      signUpUser(stack.routerUrl, 'en', 'writer'),
    ]);
    conversationId = (await createGroup(writer, [reader])).id;
  });

  afterEach(async () => {
    feed?.stop();
    await client?.close();
    const hub = stack.router!.subscriptions;
    await waitFor(async () => (hub.stats.subscribers === 0 ? true : undefined), { what: 'subscriptions to end' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('hands the reader every seq 1..N exactly once, in order, live and caught up with messagesSince', async () => {
    const sockets: WebSocket[] = [];
    let outage = gate();
    outage.open();
    const connects: boolean[] = [];
    client = createParleyClient({
      url: stack.routerUrl,
      token: reader.token,
      webSocketImpl: recordingWebSocket(sockets),
      retryWait: async () => {
        await outage.opened;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    client.onConnected((reconnect) => connects.push(reconnect));

    const received: Array<{ seq: number; content: string; source: MessageSource }> = [];
    const errors: Error[] = [];
    feed = followConversation(client, conversationId, {
      afterSeq: 0,
      onMessage: (message: FeedMessage, source) =>
        received.push({ seq: message.seq, content: message.content, source }),
      onError: (error) => errors.push(error),
      pageSize: 4, // several pages per catch-up
      settleMs: 300,
      retryDelayMs: 100,
    });
    await feed.ready;
    const hub = stack.router!.subscriptions;
    await waitFor(async () => (hub.stats.subscribers >= 1 ? true : undefined), { what: 'the subscription' });

    const N = 30;
    const contents = new Map<number, string>();
    for (let i = 1; i <= N; i++) {
      if (i === 11) {
        // Cut the socket mid-burst and keep it down while 11..20 are sent.
        outage = gate();
        sockets.at(-1)!.terminate();
      }
      if (i === 21) outage.open();
      if (i === 26) sockets.at(-1)!.terminate(); // and once more, reconnecting at once
      const message = await send(writer, conversationId, `burst ${i}`);
      contents.set(message.seq, message.content);
    }

    await waitFor(async () => (received.length >= N ? true : undefined), {
      timeoutMs: 20_000,
      what: `${N} messages`,
    }).catch((error: Error) => {
      throw new Error(`${error.message}; got ${JSON.stringify(received)}; errors: ${errors.map(String).join('; ')}`);
    });
    // Long enough for a late duplicate (another settle catch-up, a resent live event) to show.
    await new Promise((resolve) => setTimeout(resolve, 800));

    expect(received.map((entry) => entry.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    for (const entry of received) expect(entry.content).toBe(contents.get(entry.seq));
    expect(feed.lastSeq).toBe(N);
    // 11..20 were sent while the socket was down: only messagesSince can have brought them.
    expect(received.filter((entry) => entry.seq >= 11 && entry.seq <= 20).map((entry) => entry.source)).toEqual(
      Array(10).fill('catch-up'),
    );
    expect(received.some((entry) => entry.source === 'live')).toBe(true);
    expect(sockets.length).toBeGreaterThanOrEqual(3);
    expect(connects.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('hands out an edit as an update of a message already handed out', async () => {
    client = createParleyClient({ url: stack.routerUrl, token: reader.token, webSocketImpl: WebSocket });
    const log: string[] = [];
    const start = (await send(writer, conversationId, 'before the feed')).seq;
    feed = followConversation(client, conversationId, {
      afterSeq: start,
      onMessage: (message) => log.push(`message ${message.seq} v${message.version} ${message.content}`),
      onUpdate: (message) => log.push(`update ${message.seq} v${message.version} ${message.content}`),
    });
    await feed.ready;
    const hub = stack.router!.subscriptions;
    await waitFor(async () => (hub.stats.subscribers >= 2 ? true : undefined), { what: 'both subscriptions' });
    const sent = await send(writer, conversationId, 'first draft');
    await waitFor(async () => (log.length >= 1 ? true : undefined), { what: 'the message' });
    await writer.client.data(EDIT, { id: sent.id, content: 'second draft' });
    await waitFor(async () => (log.length >= 2 ? true : undefined), { what: 'the edit' });
    expect(log).toEqual([`message ${sent.seq} v1 first draft`, `update ${sent.seq} v2 second draft`]);
  });

  it('reports FORBIDDEN to a non-member and hands out nothing', async () => {
    const outsider = await signUpUser(stack.routerUrl, 'en', 'outsider');
    client = createParleyClient({ url: stack.routerUrl, token: outsider.token, webSocketImpl: WebSocket });
    const received: FeedMessage[] = [];
    const errors: Error[] = [];
    feed = followConversation(client, conversationId, {
      onMessage: (message) => received.push(message),
      onError: (error) => errors.push(error),
      settleMs: 0,
      retryDelayMs: 60_000,
    });
    await feed.ready;
    await waitFor(async () => (errors.length >= 2 ? true : undefined), { what: 'both errors' });
    expect(errors.map(String).join('\n')).toMatch(/FORBIDDEN/);
    expect(received).toEqual([]);
  });
  // Last: it replaces the stack's router with a new one on the same port.
  it('survives a router restart mid-burst: every seq exactly once, in order', async () => {
    const { id: restartConversation } = await createGroup(writer, [reader]);
    client = createParleyClient({
      url: stack.routerUrl,
      token: reader.token,
      webSocketImpl: WebSocket,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
    });
    const received: number[] = [];
    feed = followConversation(client, restartConversation, {
      afterSeq: 0,
      onMessage: (message) => received.push(message.seq),
      settleMs: 300,
      retryDelayMs: 100,
    });
    await feed.ready;
    let router = stack.router!;
    await waitFor(async () => (router.subscriptions.stats.subscribers >= 1 ? true : undefined), {
      what: 'the subscription',
    });
    const N = 24;
    for (let i = 1; i <= N; i++) {
      if (i === 9) {
        // Graceful stop (sockets close with 1001), then a new router on the same port.
        await router.stop();
        router = await stack.startRouter({ ROUTER_PORT: new URL(stack.routerUrl).port });
      }
      await send(writer, restartConversation, `restart burst ${i}`);
    }
    await waitFor(async () => (received.length >= N ? true : undefined), { timeoutMs: 20_000, what: `${N} messages` });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(received).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    feed.stop();
    await client.close();
    await waitFor(async () => (router.subscriptions.stats.subscribers === 0 ? true : undefined), {
      what: 'the new router to let go',
    });
  });
});
