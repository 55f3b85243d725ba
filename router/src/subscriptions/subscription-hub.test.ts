import { jest } from '@jest/globals';
import { createLogger, type ConversationEvent, type RouterExtensions, type TranslationEvent } from '@parley/common';
import type { ExecutionResult } from 'graphql';
import type { RouterContext } from '../context';
import type { FederatedSubscriptions, PlannedOperation, PreparedSubscription } from './federated-subscriptions';
import type { RealtimeBus } from './realtime-bus';
import { SubscriptionHub } from './subscription-hub';

const CONVERSATION = '00000000-0000-4000-8000-00000000000c';
const SENDER = '00000000-0000-4000-8000-0000000000a0';
const user = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const message = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

/** A bus whose channels the test publishes to directly. */
class FakeBus {
  readonly channels = new Map<string, Set<(payload: unknown) => void>>();
  private readonly resume = new Set<() => void>();
  listen(channel: string, onMessage: (payload: unknown) => void) {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(onMessage);
    return { active: Promise.resolve(), stop: () => set.delete(onMessage) };
  }
  onResume(listener: () => void) {
    this.resume.add(listener);
    return () => this.resume.delete(listener);
  }
  resumeAll() {
    for (const listener of this.resume) listener();
  }
  publish(channel: string, payload: unknown) {
    for (const listener of this.channels.get(channel) ?? []) listener(payload);
  }
}

const eventPlan = { name: 'event' } as unknown as PlannedOperation;
const authorizePlan = { name: 'authorize' } as unknown as PlannedOperation;
const prepared = (fieldName: string, viewerIndependent = true): PreparedSubscription => ({
  fieldName,
  viewerIndependent,
  eventPlan,
  authorizePlan,
});

/** Resolves an event to what the subgraphs would: the message in the group's language. */
function fakeExecutor(options: { forbidden?: Set<string>; failEvents?: number } = {}) {
  const calls: Array<{ userId: string; parley: RouterExtensions | undefined }> = [];
  let failures = options.failEvents ?? 0;
  const execute = jest.fn(async (planned: PlannedOperation, _variables: unknown, context: RouterContext) => {
    if (planned === eventPlan && failures > 0) {
      failures -= 1;
      throw new Error('subgraph timed out');
    }
    if (options.forbidden?.has(context.userId)) {
      return {
        errors: [
          {
            message: 'no',
            extensions: { code: 'FORBIDDEN' },
            toJSON: () => ({ message: 'no', extensions: { code: 'FORBIDDEN' } }),
          },
        ],
      } as unknown as ExecutionResult;
    }
    if (planned === authorizePlan) return { data: { field: { __typename: 'Message' } } };
    calls.push({ userId: context.userId, parley: context.parley });
    const step = context.parley?.subscription;
    const event = step?.phase === 'event' ? step.event : undefined;
    return {
      data: {
        event: {
          type: event?.type,
          id: event && 'messageId' in event ? event.messageId : undefined,
          language: context.parley?.viewerLanguage?.preferredLanguage,
        },
      },
    } as ExecutionResult;
  });
  return { executor: { execute } as unknown as FederatedSubscriptions, calls };
}

const created = (n: number, originalLanguage = 'en'): ConversationEvent => ({
  type: 'message.created',
  conversationId: CONVERSATION,
  messageId: message(n),
  seq: n,
  version: 1,
  originalLanguage,
  senderId: SENDER,
  occurredAt: new Date().toISOString(),
});

const stored = (n: number, targetLanguage: string): TranslationEvent => ({
  type: 'translation.stored',
  messageId: message(n),
  conversationId: CONVERSATION,
  seq: n,
  messageVersion: 1,
  sourceLanguage: 'en',
  targetLanguage,
  translationModel: 'test',
  reason: null,
  occurredAt: new Date().toISOString(),
});

describe('SubscriptionHub', () => {
  const languages = new Map<string, string>();
  let bus: FakeBus;
  let hub: SubscriptionHub;
  let executor: ReturnType<typeof fakeExecutor>;

  const start = (
    options: {
      forbidden?: Set<string>;
      deadlineMs?: number;
      failEvents?: number;
      lastSeq?: number;
      /** How long the last seq read takes (ms). */
      lastSeqDelayMs?: number;
      reorderWindowMs?: number;
      members?: Set<string>;
    } = {},
  ) => {
    bus = new FakeBus();
    executor = fakeExecutor(options);
    hub = new SubscriptionHub({
      executor: executor.executor,
      bus: bus as unknown as RealtimeBus,
      viewerSettings: async ({ userId }) => ({
        preferredLanguage: languages.get(userId) ?? 'en',
        autoTranslateEnabled: true,
      }),
      lastSeq: async () => {
        if (options.lastSeqDelayMs) await new Promise((resolve) => setTimeout(resolve, options.lastSeqDelayMs));
        return options.lastSeq;
      },
      memberIds: async ({ userId }) => (options.members?.has(userId) ? options.members : 'forbidden'),
      translationDeadlineMs: options.deadlineMs ?? 5_000,
      reorderWindowMs: options.reorderWindowMs ?? 0,
      maxBufferedBytesPerSubscriber: 1_000_000,
      listenTimeoutMs: 100,
      grouping: true,
      logger: createLogger('hub-test', 'silent'),
    });
  };

  const subscribe = async (userId: string, field = 'messageAdded', viewerIndependent = true) => {
    const outcome = await hub.subscribe({
      identity: { userId, clientIp: '' },
      prepared: prepared(field, viewerIndependent),
      documentKey: `doc:${field}`,
      variables: { conversationId: CONVERSATION },
      fieldArguments: { conversationId: CONVERSATION },
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.subscriber;
  };

  const take = async (subscriber: Awaited<ReturnType<typeof subscribe>>, count: number) => {
    const results = [];
    for (let i = 0; i < count; i += 1) results.push((await subscriber.queue.next()).value);
    return results;
  };

  const conversationChannel = `parley.conversation.${CONVERSATION}`;
  const translationChannel = `parley.translations.${CONVERSATION}`;

  afterEach(async () => {
    await hub.close();
    languages.clear();
  });

  it('resolves once per language group, each with its own language, and delivers in seq order', async () => {
    start();
    languages.set(user(1), 'fr').set(user(2), 'fr').set(user(3), 'en');
    const [fr1, fr2, en] = await Promise.all([subscribe(user(1)), subscribe(user(2)), subscribe(user(3))]);
    bus.publish(conversationChannel, created(2));
    bus.publish(conversationChannel, created(1));
    const english = await take(en, 2);
    expect(english.map((r) => r?.data?.event)).toEqual([
      { type: 'message.created', id: message(1), language: 'en' },
      { type: 'message.created', id: message(2), language: 'en' },
    ]);
    // The French group waits for French translations; one resolution serves both French readers.
    bus.publish(translationChannel, stored(2, 'fr'));
    bus.publish(translationChannel, stored(1, 'fr'));
    const [french1, french2] = await Promise.all([take(fr1, 2), take(fr2, 2)]);
    expect(french1).toEqual(french2);
    expect(french1.map((r) => (r?.data?.event as { id: string }).id)).toEqual([message(1), message(2)]);
    expect(hub.stats.resolutions).toBe(4);
    expect(hub.stats.deliveries).toBe(6);
  });

  it('sends the original after the deadline, then messageUpdated to that language once it is stored', async () => {
    start({ deadlineMs: 20 });
    languages.set(user(1), 'fr');
    const added = await subscribe(user(1));
    const updated = await subscribe(user(1), 'messageUpdated');
    bus.publish(conversationChannel, created(1));
    const [first] = await take(added, 1);
    expect(first?.data?.event).toMatchObject({ id: message(1) });
    bus.publish(translationChannel, stored(1, 'fr'));
    bus.publish(translationChannel, stored(1, 'fr'));
    const [late] = await take(updated, 1);
    expect(late?.data?.event).toEqual({ type: 'message.created', id: message(1), language: 'fr' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(updated.queue.size).toBe(0);
  });

  it('never echoes typing to the typist, and lets typing lapse', async () => {
    start();
    const typist = await subscribe(user(1), 'typing');
    const watcher = await subscribe(user(2), 'typing');
    bus.publish(conversationChannel, {
      type: 'typing',
      conversationId: CONVERSATION,
      userId: user(1),
      isTyping: true,
      ttlMs: 10,
      occurredAt: new Date().toISOString(),
    });
    await take(watcher, 2);
    const typed = executor.calls.map((call) => call.parley?.subscription);
    expect(typed).toEqual([
      expect.objectContaining({ event: expect.objectContaining({ isTyping: true }) }),
      expect.objectContaining({ event: expect.objectContaining({ isTyping: false }) }),
    ]);
    expect(typist.queue.size).toBe(0);
  });

  it('keeps a viewer-dependent selection apart, resolved as its own subscriber', async () => {
    start();
    await Promise.all([subscribe(user(1), 'messageAdded', false), subscribe(user(2), 'messageAdded', false)]);
    bus.publish(conversationChannel, created(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(executor.calls.map((call) => call.userId).sort()).toEqual([user(1), user(2)]);
  });

  it('ends the subscriptions of a member who leaves with FORBIDDEN', async () => {
    start();
    const leaver = await subscribe(user(1));
    bus.publish(conversationChannel, {
      type: 'membership',
      conversationId: CONVERSATION,
      userId: user(1),
      change: 'left',
      occurredAt: new Date().toISOString(),
    });
    const [result] = await take(leaver, 1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await leaver.queue.next()).done).toBe(true);
    expect(hub.stats.subscribers).toBe(0);
  });

  it('re-checks access when Redis comes back: a leave it missed ends the subscription', async () => {
    const forbidden = new Set<string>();
    start({ forbidden });
    const stays = await subscribe(user(1));
    const left = await subscribe(user(2));
    forbidden.add(user(2));
    bus.resumeAll();
    const [result] = await take(left, 1);
    expect(result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(stays.ended).toBe(false);
  });

  it('retries a resolution that failed inside the graph, so the event still arrives once', async () => {
    start({ failEvents: 1 });
    const reader = await subscribe(user(1));
    bus.publish(conversationChannel, created(1));
    const [result] = await take(reader, 1);
    expect(result).toEqual({ data: { event: { type: 'message.created', id: message(1), language: 'en' } } });
    expect(hub.stats.resolutions).toBe(2);
  });

  it('refuses to subscribe when the owner says FORBIDDEN', async () => {
    start({ forbidden: new Set([user(9)]) });
    const outcome = await hub.subscribe({
      identity: { userId: user(9), clientIp: '' },
      prepared: prepared('messageAdded'),
      documentKey: 'doc',
      variables: {},
      fieldArguments: { conversationId: CONVERSATION },
    });
    expect(outcome).toEqual({ ok: false, errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] });
  });

  describe('translations nobody waited for', () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

    it('reach a reader who joined after the message, as messageUpdated in its language', async () => {
      start();
      languages.set(user(3), 'en').set(user(4), 'it');
      const english = await subscribe(user(3));
      bus.publish(conversationChannel, created(1));
      await take(english, 1);
      const joiner = await subscribe(user(4), 'messageUpdated');
      bus.publish(translationChannel, stored(1, 'it'));
      const [update] = await take(joiner, 1);
      expect(update?.data?.event).toEqual({ type: 'message.created', id: message(1), language: 'it' });
      bus.publish(translationChannel, stored(1, 'it'));
      await settle();
      expect(joiner.queue.size).toBe(0);
      expect(english.queue.size).toBe(0);
    });

    it('never go out ahead of the message itself: its messageAdded carries them', async () => {
      start({ lastSeq: 0 });
      languages.set(user(1), 'fr');
      const added = await subscribe(user(1));
      const updated = await subscribe(user(1), 'messageUpdated');
      await settle();
      bus.publish(translationChannel, stored(1, 'fr'));
      bus.publish(conversationChannel, created(1));
      const [first] = await take(added, 1);
      expect(first?.data?.event).toEqual({ type: 'message.created', id: message(1), language: 'fr' });
      await settle();
      expect(updated.queue.size).toBe(0);
    });

    it('never drops what a subscriber live before its feed knew its start may have missed', async () => {
      // The read outlasts the listen timeout (100 ms): the reader goes live, a message commits and
      // is counted by the late read. Applying that start would drop the message from the stream.
      start({ lastSeq: 1, lastSeqDelayMs: 200, reorderWindowMs: 400 });
      const reader = await subscribe(user(1));
      bus.publish(conversationChannel, created(1));
      const [first] = await take(reader, 1);
      expect(first?.data?.event).toMatchObject({ id: message(1) });
    });

    it('reach readers of a message older than the feed, from the translation event alone', async () => {
      start({ lastSeq: 5 });
      languages.set(user(4), 'it');
      const joiner = await subscribe(user(4), 'messageUpdated');
      await settle();
      bus.publish(translationChannel, stored(3, 'it'));
      const [update] = await take(joiner, 1);
      expect(update?.data?.event).toEqual({ type: 'message.created', id: message(3), language: 'it' });
      const step = executor.calls.at(-1)?.parley?.subscription;
      expect(step).toMatchObject({ phase: 'event', event: { messageId: message(3), seq: 3, version: 1 } });
    });
  });

  it('ends, on its access sweep, the subscriptions of whoever is no longer a member (a lost left event)', async () => {
    const members = new Set([user(2), user(3)]);
    start({ members });
    // user(1) asks first, is refused and revoked; the sweep then reads the members as user(2).
    const [gone, stays, alsoGone] = await Promise.all([
      subscribe(user(1)),
      subscribe(user(2)),
      subscribe(user(4), 'messageUpdated'),
    ]);
    const third = await subscribe(user(3));
    await hub.sweepAccess();
    for (const ended of [gone, alsoGone]) {
      const [result] = await take(ended, 1);
      expect(result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(ended.ended).toBe(true);
    }
    expect(stays.ended).toBe(false);
    expect(third.ended).toBe(false);
  });
});
