import type { ViewerLanguage } from '@parley/common';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { RouterContext } from '../context';
import { AsyncQueue } from './async-queue';
import type { PreparedSubscription } from './federated-subscriptions';
import type { ConversationField } from './subscription-fields';

/**
 * Writes `next` frames straight to the socket. A group's result is encoded once and the same
 * bytes go to every member; graphql-ws would serialize it again per subscriber.
 */
export interface DirectTransport {
  /** Sends `{"id":…,"type":"next","payload":<payload>}`, at the latest at the end of this event-loop turn. */
  send(payload: Buffer): void;
  /** Writes what `send` left waiting now: before graphql-ws' own `complete` for this operation. */
  flush(): void;
  /** Bytes written to the socket and not yet flushed to the network. */
  bufferedBytes(): number;
}

const encoded = new WeakMap<object, Buffer>();

/** The UTF-8 JSON of a result, encoded once per result object (shared by a group). */
export function encodeOnce(result: FormattedExecutionResult): Buffer {
  let bytes = encoded.get(result);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(result));
    encoded.set(result, bytes);
  }
  return bytes;
}

const groupKeyOf = (selectionKey: string, viewer: ViewerLanguage) =>
  `${selectionKey}\u0000${viewer.preferredLanguage}\u0000${viewer.autoTranslateEnabled}`;

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
 * A place in subscribers' lines of results, filled when its event has been resolved. A group's
 * members share one slot: one result for all, or, when members' results differ (access lost by
 * some), one per member in `byMember`.
 */
export interface ResultSlot {
  result?: FormattedExecutionResult;
  byMember?: Map<Subscriber, FormattedExecutionResult>;
}

export const INTERNAL_ERROR: FormattedExecutionResult = {
  errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
};

/**
 * One client subscription. Each dispatched event reserves a slot, in dispatch order; results go
 * out in that order, however fast each one resolves (a translated one may take the deadline).
 * Slots rather than a promise chain: a group's resolution fills its members' slots in one go, with
 * no promise or closure per subscriber and event.
 */
export class Subscriber {
  readonly queue: AsyncQueue<FormattedExecutionResult>;
  private currentViewer: ViewerLanguage;
  private currentGroupKey: string;
  /** Set once its conversation's channels are confirmed: from then on it misses nothing. */
  live = false;
  private readonly slots: ResultSlot[] = [];
  private idle: Array<() => void> = [];

  constructor(readonly options: SubscriberOptions) {
    this.currentViewer = options.viewer;
    this.currentGroupKey = groupKeyOf(options.selectionKey, options.viewer);
    this.queue = new AsyncQueue(() => options.onEnd(this));
  }

  get userId(): string {
    return this.options.identity.userId;
  }

  get pendingCount(): number {
    return this.slots.length;
  }

  get ended(): boolean {
    return this.queue.done;
  }

  get viewer(): ViewerLanguage {
    return this.currentViewer;
  }

  set viewer(viewer: ViewerLanguage) {
    this.currentViewer = viewer;
    this.currentGroupKey = groupKeyOf(this.options.selectionKey, viewer);
  }

  /** The language group within its selection group: settings decide `Message.text`. Kept, not rebuilt per event. */
  get groupKey(): string {
    return this.currentGroupKey;
  }

  /**
   * Takes the next place in line for an event being resolved (`slot`: the one its group shares);
   * `fill` it with the result, or set a shared slot's result and `drain` each member.
   */
  reserve(slot: ResultSlot = {}): ResultSlot {
    if (!this.ended) this.slots.push(slot);
    return slot;
  }

  /** Sets a slot's result (an internal error when the resolution failed) and sends what is now in order. */
  fill(slot: ResultSlot, result: FormattedExecutionResult | undefined): void {
    slot.result = result ?? INTERNAL_ERROR;
    this.drain();
  }

  /** Sends the results that are now in order: after a slot this subscriber holds was filled. */
  drain(): void {
    const slots = this.slots;
    while (slots.length > 0) {
      const head = slots[0]!;
      if (!head.result) break;
      slots.shift();
      this.deliver(head.byMember?.get(this) ?? head.result);
    }
    if (slots.length === 0) this.wake();
  }

  /** Resolves when every dispatched event has been handed to the transport. */
  settled(): Promise<void> {
    if (this.slots.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private wake(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }

  /** Ends the operation, after sending `errors` when given (e.g. FORBIDDEN once access is gone). */
  end(errors?: readonly GraphQLFormattedError[]): void {
    if (this.ended) return;
    this.slots.length = 0;
    this.wake();
    const transport = this.options.transport;
    if (errors?.length) {
      const result = { errors: [...errors] };
      if (transport) transport.send(Buffer.from(JSON.stringify(result)));
      else this.queue.push(result);
    }
    transport?.flush();
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
    if (transport) transport.send(encodeOnce(result));
    else this.queue.push(result);
    this.options.onDeliver();
  }
}
