import { CombinedError, type OperationResult } from '@urql/core';
import type { FeedMessageFragment } from '../gql/graphql';
import type { ParleyClient } from './create-parley-client';
import { MessageAddedDocument, MessagesSinceDocument, MessageUpdatedDocument } from './documents';
import { SeqMerger, type MessageSource } from './seq-merger';

export type FeedMessage = FeedMessageFragment;

export interface FollowOptions {
  /** The last seq the caller already has (0 for none): the feed starts after it. */
  afterSeq?: number;
  /** Every message after `afterSeq`, exactly once, in seq order, live or caught up. */
  onMessage(message: FeedMessage, source: MessageSource): void;
  /**
   * Edits, deletions and late translations (`messageUpdated`) of messages already handed to
   * `onMessage`; replace the message by `id`. Without it the feed does not subscribe to updates.
   */
  onUpdate?(message: FeedMessage): void;
  /**
   * Errors, with their GraphQL codes in the message. A catch-up that fails for a lost connection,
   * INTERNAL_SERVER_ERROR or RATE_LIMITED is retried after `retryDelayMs`; FORBIDDEN and the like,
   * and a subscription the router refuses, stop that part of the feed.
   */
  onError?(error: Error): void;
  /** `first` for each `messagesSince` page (the router allows 1..500). */
  pageSize?: number;
  /**
   * A second catch-up this long after each (re)connect. graphql-ws does not acknowledge a
   * subscribe, so a message stored between the first catch-up and the router registering the
   * subscription would otherwise wait for the next message (whose gap triggers a catch-up).
   */
  settleMs?: number;
  /** Wait before retrying a failed catch-up. */
  retryDelayMs?: number;
}

export interface ConversationFeed {
  /** The highest seq handed out so far (or `afterSeq`). */
  readonly lastSeq: number;
  /** Resolves when the first catch-up has ended, done or failed (it never rejects: errors go to onError). */
  readonly ready: Promise<void>;
  /** Runs a catch-up now (e.g. when the app comes back to the foreground) and resolves when done. */
  catchUp(): Promise<void>;
  /** Unsubscribes and stops catching up. */
  stop(): void;
}

/**
 * Follows one conversation: subscribes to `messageAdded` (and `messageUpdated` when `onUpdate` is
 * given) and, at the start and every time the socket (re)connects, catches up with
 * `Conversation.messagesSince(afterSeq: lastSeq)`, page by page, as the contract prescribes.
 * Live events and catch-up pages are merged by `SeqMerger`: each seq once, in order.
 */
export function followConversation(
  client: ParleyClient,
  conversationId: string,
  options: FollowOptions,
): ConversationFeed {
  const pageSize = options.pageSize ?? 100;
  const settleMs = options.settleMs ?? 1_000;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const report = (error: Error) => options.onError?.(error);
  const merger = new SeqMerger<FeedMessage>(options.afterSeq ?? 0, {
    message: (message, source) => options.onMessage(message, source),
    update: (message) => options.onUpdate?.(message),
  });

  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) run();
    }, ms);
    timers.add(timer);
  };

  /** One complete round: pages until one comes back short. Throws when a page fails. */
  const catchUpRound = async (): Promise<void> => {
    merger.beginCatchUp();
    try {
      for (;;) {
        const result = await client.urql
          .query(
            MessagesSinceDocument,
            { conversationId, afterSeq: merger.lastSeq, first: pageSize },
            { requestPolicy: 'network-only' },
          )
          .toPromise();
        if (stopped) return merger.abortCatchUp();
        if (result.error) throw withCodes(result.error);
        const conversation = result.data?.conversation;
        if (!conversation) throw new FatalFeedError(`conversation ${conversationId} not found (NOT_FOUND)`);
        merger.catchUpPage(conversation.messagesSince);
        if (conversation.messagesSince.length < pageSize) break;
      }
    } catch (error) {
      merger.abortCatchUp();
      throw error;
    }
    if (merger.endCatchUp()) again = true;
  };

  /** Runs rounds until no gap is left; concurrent requests join the running one and add a round. */
  const catchUp = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await catchUpRound();
        } while (again && !stopped);
      } catch (error) {
        report(asError(error));
        // A lost connection or a server fault passes; FORBIDDEN and the like do not.
        if (isTransient(error)) later(retryDelayMs, () => void catchUp());
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const catchUpAndSettle = () => {
    const done = catchUp();
    if (settleMs > 0) later(settleMs, () => void catchUp());
    return done;
  };

  const onResult =
    (apply: (message: FeedMessage) => void) =>
    (result: OperationResult<{ messageAdded: FeedMessage } | { messageUpdated: FeedMessage }>) => {
      if (stopped) return;
      if (result.error) return report(withCodes(result.error));
      const data = result.data;
      if (!data) return;
      apply('messageAdded' in data ? data.messageAdded : data.messageUpdated);
    };

  const added = client.urql.subscription(MessageAddedDocument, { conversationId }).subscribe(
    onResult((message) => {
      if (merger.live(message)) void catchUp();
    }),
  );
  const updated = options.onUpdate
    ? client.urql
        .subscription(MessageUpdatedDocument, { conversationId })
        .subscribe(onResult((message) => merger.update(message)))
    : undefined;
  // The first connection of a client shared with other feeds may already be up: catch up now too.
  const removeListener = client.onConnected(() => void catchUpAndSettle());
  const ready = catchUpAndSettle();

  return {
    get lastSeq() {
      return merger.lastSeq;
    },
    ready,
    catchUp,
    stop() {
      if (stopped) return;
      stopped = true;
      removeListener();
      added.unsubscribe();
      updated?.unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Error codes after which asking again may succeed. */
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'RATE_LIMITED']);

const errorCodes = (error: CombinedError): string[] =>
  error.graphQLErrors.flatMap((graphQLError) => {
    const code = graphQLError.extensions?.code;
    return typeof code === 'string' ? [code] : [];
  });

/** The CombinedError with its GraphQL error codes (FORBIDDEN, ...) added to the message. */
function withCodes(error: CombinedError): Error {
  const codes = errorCodes(error);
  return codes.length > 0 ? new Error(`${error.message} (${codes.join(', ')})`, { cause: error }) : error;
}

/** An error that asking again cannot fix. */
class FatalFeedError extends Error {}

function isTransient(error: unknown): boolean {
  if (error instanceof FatalFeedError) return false;
  const combined = error instanceof Error && error.cause instanceof CombinedError ? error.cause : error;
  if (!(combined instanceof CombinedError)) return true;
  if (combined.networkError) return true;
  return errorCodes(combined).every((code) => TRANSIENT_CODES.has(code));
}
