import {
  conversationEventChannel,
  conversationEventSchema,
  ErrorCode,
  maskError,
  translationEventChannel,
  translationEventSchema,
  USER_PREFERENCES_CHANNEL,
  userPreferencesEventSchema,
  withTimeout,
  type ConversationEvent,
  type Logger,
  type MessageChangeEvent,
  type RouterExtensions,
  type TranslationEvent,
  type TypingRealtimeEvent,
  type ViewerLanguage,
} from '@parley/common';
import type { ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { RouterContext } from '../context';
import { EventFetches } from './event-fetches';
import type { MemberIdsAnswer } from './conversation-members';
import type { FederatedSubscriptions, PlannedOperation, PreparedSubscription } from './federated-subscriptions';
import type { RealtimeBus } from './realtime-bus';
import { SeqReorderBuffer } from './seq-reorder';
import { INTERNAL_ERROR, Subscriber, type DirectTransport, type ResultSlot } from './subscriber';
import { isConversationField, type ConversationField } from './subscription-fields';
import { TranslationGate } from './translation-gate';

export interface HubOptions {
  executor: FederatedSubscriptions;
  bus: RealtimeBus;
  /** Reads a user's language settings through the graph, as that user. */
  viewerSettings: (identity: Pick<RouterContext, 'userId' | 'clientIp'>) => Promise<ViewerLanguage>;
  /** Reads a conversation's member ids through the graph, as that user (the periodic access sweep). */
  memberIds?: (
    identity: Pick<RouterContext, 'userId' | 'clientIp'>,
    conversationId: string,
  ) => Promise<MemberIdsAnswer>;
  /**
   * How often every feed's subscribers are checked against the conversation's members (0: never).
   * Leaving ends subscriptions at once through `membership.left`; this bounds what a lost event costs.
   */
  accessSweepMs?: number;
  /** Reads a conversation's last seq through the graph, as that user: where a new feed's order starts. */
  lastSeq?: (
    identity: Pick<RouterContext, 'userId' | 'clientIp'>,
    conversationId: string,
  ) => Promise<number | undefined>;
  translationDeadlineMs: number;
  reorderWindowMs: number;
  maxBufferedBytesPerSubscriber: number;
  /** How long a subscribe waits for Redis to confirm the conversation's channels. */
  listenTimeoutMs: number;
  /** false: one resolution per subscriber (the naive baseline the benchmark compares with). */
  grouping: boolean;
  logger: Logger;
}

export interface SubscribeRequest {
  identity: Pick<RouterContext, 'userId' | 'clientIp'>;
  prepared: PreparedSubscription;
  /** The document text and operation name: subscribers with equal keys and variables share resolutions. */
  documentKey: string;
  variables: Record<string, unknown>;
  fieldArguments: Record<string, unknown>;
  /** Writes results straight to the client's socket (see Subscriber). */
  transport?: DirectTransport;
}

export type SubscribeOutcome =
  { ok: true; subscriber: Subscriber } | { ok: false; errors: readonly GraphQLFormattedError[] };

/** What the hub holds and has done, for tests and the benchmark: resolutions are federated executions. */
export interface HubStats {
  subscribers: number;
  conversations: number;
  /** Results dispatched to subscribers and not yet handed to the transport (waiting, resolving). */
  pending: number;
  resolutions: number;
  /** Subgraph requests sent by event resolutions (a fetch shared by an event's groups counts once). */
  fetches: number;
  deliveries: number;
}

/** The subscriptions of one conversation on this router, with what keeps its events in order. */
interface ConversationFeed {
  id: string;
  subscribers: Map<ConversationField, Set<Subscriber>>;
  created: SeqReorderBuffer<MessageChangeEvent>;
  /** The newest event seen per message (bounded): late translations are resolved from it. */
  recentMessages: Map<string, MessageChangeEvent>;
  /** The shared fetches of message events still being resolved, by message: a later change of the message invalidates them. */
  resolving: Map<string, EventFetches>;
  typingExpiry: Map<string, NodeJS.Timeout>;
  /** Resolves once Redis confirmed both channels: from then on no event of the conversation is missed. */
  listening: Promise<unknown>;
  /** Resolves once the feed knows where its order starts (or gave up asking): see SeqReorderBuffer.start. */
  started: Promise<unknown>;
  /**
   * A subscriber went live before the start was known (the read outlasted the listen timeout): a
   * start learnt later could lie past messages committed after that subscriber's catch-up query,
   * so it is not applied and the feed orders by its window alone.
   */
  liveBeforeStart: boolean;
  stopListening: () => void;
}

const RECENT_MESSAGES = 500;
/** Back-off before each retry of a resolution that failed inside the graph. */
const RESOLUTION_RETRIES = [200, 1000];

const variantLanguage = (viewer: ViewerLanguage, originalLanguage: string): string =>
  viewer.autoTranslateEnabled ? viewer.preferredLanguage : originalLanguage;

/**
 * The transport-agnostic core of subscriptions. It listens to the Redis channels of the
 * conversations its subscribers follow, and for each event runs one federated resolution per
 * group of subscribers that would read the same thing (same selection and variables, same
 * language settings; a viewer-dependent selection is a group of its own), holding a group's event
 * until its translation is stored or the deadline passes. Access is checked by the owning subgraph
 * at subscribe time, again by every resolution (as the group's first member), again for everyone
 * when membership changes or Redis comes back.
 */
export class SubscriptionHub {
  private readonly feeds = new Map<string, ConversationFeed>();
  private readonly byUser = new Map<string, Set<Subscriber>>();
  private readonly gate: TranslationGate;
  private readonly stopPreferences: () => void;
  private readonly stopResume: () => void;
  private nextId = 1;
  private closed = false;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private sweeping = false;
  private readonly counters = { resolutions: 0, fetches: 0, deliveries: 0 };

  get stats(): HubStats {
    let pending = 0;
    let subscribers = 0;
    for (const set of this.byUser.values()) {
      for (const subscriber of set) {
        pending += subscriber.pendingCount;
        if (subscriber.live) subscribers += 1;
      }
    }
    return { ...this.counters, subscribers, conversations: this.feeds.size, pending };
  }

  constructor(private readonly options: HubOptions) {
    this.gate = new TranslationGate(options.translationDeadlineMs);
    this.stopPreferences = options.bus.listen(USER_PREFERENCES_CHANNEL, (payload) => {
      const parsed = userPreferencesEventSchema.safeParse(payload);
      if (parsed.success) void this.refreshViewer(parsed.data.userId);
    }).stop;
    this.stopResume = options.bus.onResume(() => void this.revalidateAll());
    if (options.accessSweepMs && options.memberIds) {
      this.sweeper = setInterval(() => void this.sweepAccess(), options.accessSweepMs);
      this.sweeper.unref();
    }
  }

  async subscribe(request: SubscribeRequest): Promise<SubscribeOutcome> {
    const field = request.prepared.fieldName;
    const conversationId = request.fieldArguments.conversationId;
    if (!isConversationField(field) || typeof conversationId !== 'string') {
      return { ok: false, errors: [{ message: `${field} is not served yet`, extensions: { code: 'BAD_USER_INPUT' } }] };
    }
    // The owner's access check and the settings read are independent: one round trip, not two.
    const [denied, viewer] = await Promise.all([
      this.authorize(request.prepared, request.variables, request.identity),
      this.viewerOf(request.identity).catch((error: unknown) => {
        this.options.logger.error({ err: error }, "cannot read a subscriber's language settings");
        return undefined;
      }),
    ]);
    if (denied) return { ok: false, errors: denied };
    if (!viewer) {
      return {
        ok: false,
        errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
      };
    }
    if (this.closed)
      return {
        ok: false,
        errors: [{ message: 'Server is shutting down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      };

    const subscriber = new Subscriber({
      id: this.nextId++,
      identity: request.identity,
      field,
      conversationId,
      prepared: request.prepared,
      variables: request.variables,
      selectionKey: `${request.documentKey}\u0000${JSON.stringify(request.variables)}${
        request.prepared.viewerIndependent && this.options.grouping ? '' : `\u0000${request.identity.userId}`
      }${this.options.grouping ? '' : `\u0000${this.nextId}`}`,
      viewer,
      maxBufferedBytes: this.options.maxBufferedBytesPerSubscriber,
      transport: request.transport,
      onEnd: (ended) => this.remove(ended),
      onDeliver: () => {
        this.counters.deliveries += 1;
      },
    });
    const feed = this.feed(conversationId, request.identity);
    let set = feed.subscribers.get(field);
    if (!set) feed.subscribers.set(field, (set = new Set()));
    set.add(subscriber);
    let mine = this.byUser.get(subscriber.userId);
    if (!mine) this.byUser.set(subscriber.userId, (mine = new Set()));
    mine.add(subscriber);
    // A client catches up by query after subscribing: once this returns, nothing newer is missed.
    // While Redis is down that cannot be promised; the subscription still starts and resumes with it.
    await withTimeout(feed.started, this.options.listenTimeoutMs).catch(() => {
      feed.liveBeforeStart = true;
      this.options.logger.warn({ conversationId }, 'subscribed before the feed was ready (Redis channels, last seq)');
    });
    subscriber.live = true;
    return { ok: true, subscriber };
  }

  /** Waits until every dispatched event has reached the transport (graceful shutdown). */
  async settled(): Promise<void> {
    const all = [...this.byUser.values()].flatMap((set) => [...set]);
    await Promise.all(all.map((subscriber) => subscriber.settled()));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const set of [...this.byUser.values()]) for (const subscriber of [...set]) subscriber.end();
    this.stopPreferences();
    this.stopResume();
    this.gate.dispose();
  }

  // ---- feeds ---------------------------------------------------------------------------------

  private feed(conversationId: string, identity: Pick<RouterContext, 'userId' | 'clientIp'>): ConversationFeed {
    const existing = this.feeds.get(conversationId);
    if (existing) return existing;
    const feed: ConversationFeed = {
      id: conversationId,
      subscribers: new Map(),
      created: new SeqReorderBuffer(this.options.reorderWindowMs, (event) => this.onMessageCreated(feed, event)),
      recentMessages: new Map(),
      resolving: new Map(),
      typingExpiry: new Map(),
      listening: Promise.resolve(),
      started: Promise.resolve(),
      liveBeforeStart: false,
      stopListening: () => undefined,
    };
    const stopEvents = this.options.bus.listen(conversationEventChannel(conversationId), (payload) => {
      const parsed = conversationEventSchema.safeParse(payload);
      if (parsed.success && parsed.data.conversationId === conversationId) this.onEvent(feed, parsed.data);
      else this.options.logger.warn({ conversationId }, 'ignored a malformed realtime event');
    });
    const stopTranslations = this.options.bus.listen(translationEventChannel(conversationId), (payload) => {
      const parsed = translationEventSchema.safeParse(payload);
      if (parsed.success) this.onTranslation(feed, parsed.data);
    });
    feed.listening = Promise.all([stopEvents.active, stopTranslations.active]);
    feed.stopListening = () => {
      stopEvents.stop();
      stopTranslations.stop();
    };
    this.feeds.set(conversationId, feed);
    // Read after listening (whatever commits later is above it or already on its way), and before the
    // first subscriber is live (whatever committed earlier, its catch-up query returns).
    feed.started = feed.listening
      .then(() => this.options.lastSeq?.(identity, conversationId))
      .then(
        (lastSeq) => {
          if (lastSeq === undefined || feed.liveBeforeStart || this.feeds.get(conversationId) !== feed) return;
          feed.created.start(lastSeq + 1);
        },
        (error: unknown) => this.options.logger.warn({ err: error, conversationId }, 'cannot read where a feed starts'),
      );
    return feed;
  }

  private remove(subscriber: Subscriber): void {
    const feed = this.feeds.get(subscriber.options.conversationId);
    const set = feed?.subscribers.get(subscriber.options.field);
    set?.delete(subscriber);
    if (set?.size === 0) feed!.subscribers.delete(subscriber.options.field);
    const mine = this.byUser.get(subscriber.userId);
    mine?.delete(subscriber);
    if (mine?.size === 0) this.byUser.delete(subscriber.userId);
    if (feed && feed.subscribers.size === 0) {
      feed.stopListening();
      feed.created.dispose();
      for (const timer of feed.typingExpiry.values()) clearTimeout(timer);
      this.feeds.delete(feed.id);
    }
  }

  private onEvent(feed: ConversationFeed, event: ConversationEvent): void {
    switch (event.type) {
      case 'message.created':
        this.remember(feed, event);
        feed.created.push(event);
        return;
      case 'message.edited':
        this.remember(feed, event);
        // A group of an earlier event still waiting for its translation must not read the old text,
        // nor wait for that text's translation (which may never come), but for the new one's.
        feed.resolving.get(event.messageId)?.invalidate();
        this.gate.supersede(event.messageId, event.version);
        this.dispatch(feed, 'messageUpdated', event, { gate: true });
        return;
      case 'message.deleted':
        this.remember(feed, event);
        feed.resolving.get(event.messageId)?.invalidate();
        this.gate.supersede(event.messageId, null);
        this.dispatch(feed, 'messageUpdated', event, { gate: false });
        return;
      case 'typing':
        this.onTyping(feed, event);
        return;
      case 'read':
        this.dispatch(feed, 'readReceipts', event, { skipUserId: event.userId });
        return;
      case 'membership':
        if (event.change === 'left') this.revokeUser(feed, event.userId);
        return;
    }
  }

  private onMessageCreated(feed: ConversationFeed, event: MessageChangeEvent): void {
    this.dispatch(feed, 'messageAdded', event, { gate: true });
  }

  private onTyping(feed: ConversationFeed, event: TypingRealtimeEvent): void {
    clearTimeout(feed.typingExpiry.get(event.userId));
    feed.typingExpiry.delete(event.userId);
    if (event.isTyping) {
      // Typing lapses by itself: every router times it out the same way, so none needs to publish it.
      const timer = setTimeout(() => {
        feed.typingExpiry.delete(event.userId);
        this.dispatch(
          feed,
          'typing',
          { ...event, isTyping: false, occurredAt: new Date().toISOString() },
          { skipUserId: event.userId },
        );
      }, event.ttlMs);
      timer.unref();
      feed.typingExpiry.set(event.userId, timer);
    }
    this.dispatch(feed, 'typing', event, { skipUserId: event.userId });
  }

  /**
   * A translation that somebody got PENDING for goes out as `messageUpdated` to the readers of that
   * variant: late (after the deadline), or asked for after the message went out (an on-demand
   * translation for a member who joined later), but never ahead of the message's own `messageAdded`.
   */
  private onTranslation(feed: ConversationFeed, event: TranslationEvent): void {
    const { late, unawaited } = this.gate.settle(event);
    if (!late && !unawaited) return;
    const known = feed.recentMessages.get(event.messageId);
    // A newer version or a deletion supersedes it; its own events tell the subscriber.
    if (known && (known.version !== event.messageVersion || known.type === 'message.deleted')) return;
    // Its messageAdded may still come (held, or not arrived): that one will carry the translation.
    if (!late && !feed.created.passed(event.seq)) return;
    this.dispatch(feed, 'messageUpdated', known ?? announcedByTranslation(event), {
      gate: false,
      onlyVariant: event.targetLanguage,
    });
  }

  private remember(feed: ConversationFeed, event: MessageChangeEvent): void {
    feed.recentMessages.delete(event.messageId);
    feed.recentMessages.set(event.messageId, event);
    if (feed.recentMessages.size > RECENT_MESSAGES) {
      feed.recentMessages.delete(feed.recentMessages.keys().next().value!);
    }
  }

  // ---- resolution ----------------------------------------------------------------------------

  /**
   * One resolution per group for `event`. With `gate`, a group whose variant is not the original
   * waits for its translation (or the deadline) first; each subscriber's results stay in order.
   */
  private dispatch(
    feed: ConversationFeed,
    field: ConversationField,
    event: ConversationEvent,
    options: { gate?: boolean; skipUserId?: string; onlyVariant?: string },
  ): void {
    const subscribers = feed.subscribers.get(field);
    if (!subscribers?.size) return;
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of subscribers) {
      if (subscriber.userId === options.skipUserId) continue;
      if (options.onlyVariant && 'originalLanguage' in event) {
        if (variantLanguage(subscriber.viewer, event.originalLanguage) !== options.onlyVariant) continue;
      }
      const group = groups.get(subscriber.groupKey);
      if (group) group.push(subscriber);
      else groups.set(subscriber.groupKey, [subscriber]);
    }
    const shared = this.fetchesFor(this.options.grouping);
    const messageId = 'messageId' in event ? event.messageId : undefined;
    const resolving: Array<Promise<unknown>> = [];
    for (const group of groups.values()) {
      // One slot for the whole group: a result is set once and each member sends it when in order.
      const slot: ResultSlot = {};
      for (const subscriber of group) subscriber.reserve(slot);
      const results = this.resolveGroup(group, event, options.gate === true, shared);
      resolving.push(results);
      results.then(
        (resolved) => {
          if (resolved instanceof Map) {
            slot.byMember = resolved;
            slot.result = INTERNAL_ERROR;
          } else slot.result = resolved;
          for (const subscriber of group) subscriber.drain();
        },
        (error: unknown) => {
          this.options.logger.error({ err: error }, 'subscription resolution failed');
          slot.result = INTERNAL_ERROR;
          for (const subscriber of group) subscriber.drain();
        },
      );
    }
    if (messageId && shared.share) {
      feed.resolving.set(messageId, shared);
      void Promise.allSettled(resolving).then(() => {
        if (feed.resolving.get(messageId) === shared) feed.resolving.delete(messageId);
      });
    }
  }

  private fetchesFor(share: boolean): EventFetches {
    return new EventFetches(share, () => {
      this.counters.fetches += 1;
    });
  }

  private async resolveGroup(
    group: Subscriber[],
    event: ConversationEvent,
    gated: boolean,
    fetches: EventFetches,
  ): Promise<FormattedExecutionResult | Map<Subscriber, FormattedExecutionResult>> {
    const first = group[0]!;
    const viewer = first.viewer;
    if (gated && event.type.startsWith('message.')) {
      const change = event as MessageChangeEvent;
      const variant = variantLanguage(viewer, change.originalLanguage);
      if (variant !== change.originalLanguage) await this.gate.wait(change.messageId, change.version, variant);
    }
    // Groups of a viewer-independent selection differ only by language: they share every other fetch.
    const sharing = fetches.share && first.options.prepared.viewerIndependent;
    let shared = await this.resolveFor(first, event, viewer, sharing ? fetches : this.fetchesFor(false));
    // A shared fetch runs as whichever group asked first: that member may be the one who lost access.
    if (sharing && isForbidden(shared)) shared = await this.resolveFor(first, event, viewer, this.fetchesFor(false));
    if (group.length === 1 || !isForbidden(shared)) return shared;
    // The member who resolved for the group lost access; everyone else is checked on their own.
    const own = await Promise.all(
      group.map((subscriber) => this.resolveFor(subscriber, event, viewer, this.fetchesFor(false))),
    );
    return new Map(group.map((subscriber, index) => [subscriber, own[index]!]));
  }

  /**
   * One federated resolution for `subscriber` (and its group). A failure of the graph (a subgraph
   * timing out under load) is retried twice with back-off: the subscriber is owed this event, and
   * an error in its place would break "exactly one messageAdded per message".
   */
  private async resolveFor(
    subscriber: Subscriber,
    event: ConversationEvent,
    viewer: ViewerLanguage,
    eventFetches: EventFetches,
  ): Promise<FormattedExecutionResult> {
    const parley: RouterExtensions = { subscription: { phase: 'event', event }, viewerLanguage: viewer };
    const context: RouterContext = { ...subscriber.options.identity, parley, eventFetches };
    for (let attempt = 0; ; attempt += 1) {
      this.counters.resolutions += 1;
      const result = await this.run(subscriber.options.prepared.eventPlan, subscriber.options.variables, context);
      const failed = result.errors?.some((error) => error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR);
      if (!failed || attempt >= RESOLUTION_RETRIES.length || subscriber.ended) return result;
      await new Promise((resolve) => setTimeout(resolve, RESOLUTION_RETRIES[attempt]));
    }
  }

  private async authorize(
    prepared: PreparedSubscription,
    variables: Record<string, unknown>,
    identity: Pick<RouterContext, 'userId' | 'clientIp'>,
  ): Promise<readonly GraphQLFormattedError[] | undefined> {
    const result = await this.run(prepared.authorizePlan, variables, {
      ...identity,
      parley: { subscription: { phase: 'authorize' } },
    });
    return result.errors?.length ? result.errors : undefined;
  }

  private async run(
    planned: PlannedOperation,
    variables: Record<string, unknown>,
    context: RouterContext,
  ): Promise<FormattedExecutionResult> {
    try {
      return this.format(await this.options.executor.execute(planned, variables, context));
    } catch (error) {
      this.options.logger.error({ err: error }, 'subscription execution failed');
      return { errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] };
    }
  }

  private format(result: ExecutionResult): FormattedExecutionResult {
    if (!result.errors?.length) return { data: result.data };
    const errors = result.errors.map((error) =>
      maskError(error.toJSON(), (internal) =>
        this.options.logger.error({ error: internal }, 'subscription resolver failed'),
      ),
    );
    return result.data === undefined ? { errors } : { data: result.data, errors };
  }

  // ---- access and settings -------------------------------------------------------------------

  private async viewerOf(identity: Pick<RouterContext, 'userId' | 'clientIp'>): Promise<ViewerLanguage> {
    const current = this.byUser.get(identity.userId)?.values().next().value;
    return current ? current.viewer : this.options.viewerSettings(identity);
  }

  private async refreshViewer(userId: string): Promise<void> {
    const mine = this.byUser.get(userId);
    const sample = mine?.values().next().value;
    if (!mine || !sample) return;
    try {
      const viewer = await this.options.viewerSettings(sample.options.identity);
      for (const subscriber of mine) subscriber.viewer = viewer;
    } catch (error) {
      this.options.logger.warn({ err: error, userId }, 'cannot refresh language settings');
    }
  }

  private revokeUser(feed: ConversationFeed, userId: string): void {
    for (const set of feed.subscribers.values()) {
      for (const subscriber of [...set]) {
        if (subscriber.userId === userId) subscriber.end([FORBIDDEN_ERROR]);
      }
    }
  }

  /**
   * Every feed's subscribers against the conversation's current members, one read per feed, as one
   * of its subscribers: a member whose `membership.left` event was lost (the publisher is
   * best-effort) stops receiving within one sweep. A subscriber the owner refuses is ended, and the
   * read is tried as another one (at most three).
   */
  async sweepAccess(): Promise<void> {
    const read = this.options.memberIds;
    if (!read || this.sweeping) return;
    this.sweeping = true;
    try {
      for (const feed of [...this.feeds.values()]) {
        const subscribers = [...feed.subscribers.values()].flatMap((set) => [...set]);
        const tried = new Set<string>();
        for (const candidate of subscribers) {
          if (tried.size >= 3 || this.closed) break;
          if (tried.has(candidate.userId) || candidate.ended) continue;
          tried.add(candidate.userId);
          let members: MemberIdsAnswer;
          try {
            members = await read(candidate.options.identity, feed.id);
          } catch (error) {
            this.options.logger.warn({ err: error, conversationId: feed.id }, 'access sweep: cannot read the members');
            break;
          }
          if (members === 'forbidden') {
            this.revokeUser(feed, candidate.userId);
            continue;
          }
          for (const subscriber of subscribers) {
            if (!members.has(subscriber.userId)) subscriber.end([FORBIDDEN_ERROR]);
          }
          break;
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  /** After a Redis outage: membership or settings may have changed unseen. One check per user and field. */
  private async revalidateAll(): Promise<void> {
    for (const userId of this.byUser.keys()) void this.refreshViewer(userId);
    const checks = new Map<string, Subscriber[]>();
    for (const set of this.byUser.values()) {
      for (const subscriber of set) {
        const key = `${subscriber.userId}\u0000${subscriber.options.field}\u0000${subscriber.options.conversationId}`;
        const same = checks.get(key);
        if (same) same.push(subscriber);
        else checks.set(key, [subscriber]);
      }
    }
    const groups = [...checks.values()];
    for (let i = 0; i < groups.length; i += 16) {
      await Promise.all(
        groups.slice(i, i + 16).map(async ([first, ...rest]) => {
          const denied = await this.authorize(
            first!.options.prepared,
            first!.options.variables,
            first!.options.identity,
          );
          if (!denied?.some((error) => error.extensions?.code === ErrorCode.FORBIDDEN)) return;
          for (const subscriber of [first!, ...rest]) subscriber.end(denied);
        }),
      );
    }
  }
}

/** The message change a translation event implies, for a message this router has no event of (older than its feed). */
const announcedByTranslation = (event: TranslationEvent): MessageChangeEvent => ({
  type: event.messageVersion === 1 ? 'message.created' : 'message.edited',
  conversationId: event.conversationId,
  messageId: event.messageId,
  seq: event.seq,
  version: event.messageVersion,
  originalLanguage: event.sourceLanguage,
  occurredAt: event.occurredAt,
});

const FORBIDDEN_ERROR: GraphQLFormattedError = {
  message: 'You are no longer a member of this conversation',
  extensions: { code: ErrorCode.FORBIDDEN },
};

const isForbidden = (result: FormattedExecutionResult) =>
  result.errors?.some((error) => error.extensions?.code === ErrorCode.FORBIDDEN) ?? false;
