import type { ViewerLanguage } from '@parley/common';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { RouterContext } from '../context';
import { AsyncQueue } from './async-queue';
import type { PreparedSubscription } from './federated-subscriptions';
import type { ConversationField } from './subscription-fields';

/**
 * Writes `next` frames straight to the socket. A group's result is serialized once and the same
 * string goes to every member; graphql-ws would serialize it again per subscriber.
 */
export interface DirectTransport {
  /** Sends `{"id":…,"type":"next","payload":<payloadJson>}`. */
  send(payloadJson: string): void;
  /** Bytes written to the socket and not yet flushed to the network. */
  bufferedBytes(): number;
}

const serialized = new WeakMap<object, string>();

/** JSON of a result, computed once per result object (shared by a group). */
export function serializeOnce(result: FormattedExecutionResult): string {
  let json = serialized.get(result);
  if (json === undefined) {
    json = JSON.stringify(result);
    serialized.set(result, json);
  }
  return json;
}

export interface SubscriberOptions {
  id: number;
  identity: Pick<RouterContext, 'userId' | 'clientIp'>;
  field: ConversationField;
  conversationId: string;
  prepared: PreparedSubscription;
  variables: Record<string, unknown>;
  /** Same document, variables and (when viewer-dependent) user ⇒ same resolution per language group. */
  selectionKey: string;
  viewer: ViewerLanguage;
  /** Bytes a slow client may have unsent on its socket before it is cut off (direct transport). */
  maxBufferedBytes: number;
  /**
   * When set (always, over WebSocket), results bypass graphql-ws' per-subscriber serialization and
   * completion still goes through it; without one (tests) results wait in `queue`.
   */
  transport?: DirectTransport;
  onEnd: (subscriber: Subscriber) => void;
  onDeliver: () => void;
}

/**
 * One client subscription. Results are chained so they go out in the order their events were
 * dispatched, however fast each one resolves (a translated one may take the deadline).
 */
export class Subscriber {
  readonly queue: AsyncQueue<FormattedExecutionResult>;
  viewer: ViewerLanguage;
  /** Set once its conversation's channels are confirmed: from then on it misses nothing. */
  live = false;
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(readonly options: SubscriberOptions) {
    this.viewer = options.viewer;
    this.queue = new AsyncQueue(() => options.onEnd(this));
  }

  get userId(): string {
    return this.options.identity.userId;
  }

  get pendingCount(): number {
    return this.pending;
  }

  get ended(): boolean {
    return this.queue.done;
  }

  /** The language group within its selection group: settings decide `Message.text`. */
  get groupKey(): string {
    return `${this.options.selectionKey}\u0000${this.viewer.preferredLanguage}\u0000${this.viewer.autoTranslateEnabled}`;
  }

  enqueue(result: Promise<FormattedExecutionResult>): void {
    if (this.ended) return;
    this.pending += 1;
    this.tail = this.tail
      .then(() => result)
      .then(
        (value) => this.deliver(value),
        () =>
          this.deliver({
            errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }),
      )
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** Resolves when every dispatched event has been handed to the transport. */
  async settled(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  /** Ends the operation, after sending `errors` when given (e.g. FORBIDDEN once access is gone). */
  end(errors?: readonly GraphQLFormattedError[]): void {
    if (this.ended) return;
    if (errors?.length) {
      const result = { errors: [...errors] };
      if (this.options.transport) this.options.transport.send(JSON.stringify(result));
      else this.queue.push(result);
    }
    this.queue.end();
  }

  private deliver(result: FormattedExecutionResult): void {
    if (this.ended) return;
    const forbidden = result.errors?.filter((error) => error.extensions?.code === 'FORBIDDEN');
    if (forbidden?.length) {
      this.end(forbidden);
      return;
    }
    const transport = this.options.transport;
    if (transport && transport.bufferedBytes() >= this.options.maxBufferedBytes) {
      this.end([
        { message: 'Client is too slow to keep up; resubscribe and catch up', extensions: { code: 'RATE_LIMITED' } },
      ]);
      return;
    }
    if (transport) transport.send(serializeOnce(result));
    else this.queue.push(result);
    this.options.onDeliver();
  }
}
