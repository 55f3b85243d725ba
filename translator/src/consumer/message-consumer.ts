import {
  messageEventSchema,
  translatorQueueDeclaration,
  type Logger,
  type MessageEvent,
  type MessagingTopology,
} from '@parley/common';
import { ConsumerStatus, type AsyncMessage, type Connection, type Consumer } from 'rabbitmq-client';
import { TranslationAttemptError, type MessageEventHandler } from './message-event-handler';

export interface MessageConsumerOptions {
  connection: Connection;
  topology: MessagingTopology;
  /** Unacknowledged deliveries at once, and as many handlers running, so the batcher can fill batches. */
  prefetch: number;
  handler: MessageEventHandler;
  /** First wait before a failed event is requeued; doubles per delivery, capped at MAX_RETRY_DELAY_MS. */
  retryBaseMs: number;
  logger: Logger;
}

export interface ConsumerStats {
  /** Events handled and acknowledged. */
  acked: number;
  /** Failed attempts given back to the queue. */
  requeued: number;
  /** Attempts repeated in place after an infrastructure failure (no delivery used up). */
  retriedInPlace: number;
  /** Events rejected to the dead-letter queue (unparseable, or failed on the last delivery). */
  deadLettered: number;
}

export interface RunningConsumer {
  readonly consumer: Consumer;
  readonly stats: ConsumerStats;
  /** Stops taking deliveries, lets the running handlers finish (and ack), then closes the channel. */
  close(): Promise<void>;
}

const MAX_RETRY_DELAY_MS = 30_000;

export type ParsedBody = { ok: true; event: MessageEvent } | { ok: false; reason: string };

/** The body as rabbitmq-client hands it over (a Buffer, a string, or JSON it already parsed), as a MessageEvent. */
export function parseMessageEvent(body: unknown): ParsedBody {
  let value: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      value = JSON.parse(body.toString());
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
  }
  const result = messageEventSchema.safeParse(value);
  if (!result.success) {
    return {
      ok: false,
      reason: result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, event: result.data };
}

/** Deliveries before this one, as the quorum queue counts them (absent on the first). */
export function deliveryCount(message: Pick<AsyncMessage, 'headers'>): number {
  const value = Number(message.headers?.['x-delivery-count'] ?? 0);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Consumes the translator queue with manual acks. A body that is no MessageEvent is rejected at
 * once (to the dead-letter queue). When the model fails on an event, it is requeued after a short
 * back-off, and on the last delivery the queue allows, the handler records FAILED rows and the
 * event is rejected to the dead-letter queue, where it stays for operators. An infrastructure
 * failure (database, subgraph, network) uses up no delivery: the handler retries in place until
 * the dependency is back. Other events keep flowing meanwhile.
 */
export function startMessageConsumer(options: MessageConsumerOptions): RunningConsumer {
  const { topology, logger } = options;
  const stopping = new AbortController();
  const stats: ConsumerStats = { acked: 0, requeued: 0, deadLettered: 0, retriedInPlace: 0 };

  const consumer = options.connection.createConsumer(
    {
      queue: topology.translatorQueue,
      queueOptions: translatorQueueDeclaration(topology),
      qos: { prefetchCount: options.prefetch },
      concurrency: options.prefetch,
      requeue: true,
    },
    async (message) => {
      const parsed = parseMessageEvent(message.body);
      if (!parsed.ok) {
        logger.error(
          { reason: parsed.reason, routingKey: message.routingKey, messageId: message.messageId },
          'message event does not parse; dead-lettering it',
        );
        stats.deadLettered += 1;
        return ConsumerStatus.DROP;
      }
      const { event } = parsed;
      const previous = deliveryCount(message);
      const lastAttempt = previous >= topology.deliveryLimit;
      const redelivered = message.redelivered || previous > 0;
      for (let outage = 0; ; outage++) {
        try {
          await options.handler.handle(event, { lastAttempt, redelivered: redelivered || outage > 0 });
          stats.acked += 1;
          return ConsumerStatus.ACK;
        } catch (error) {
          if (error instanceof TranslationAttemptError) return giveBack(error, event, previous, lastAttempt);
          if (stopping.signal.aborted) {
            // Shutting down in the middle of an outage: back to the queue for the next worker.
            stats.requeued += 1;
            return ConsumerStatus.REQUEUE;
          }
          // PostgreSQL, a subgraph or the network is down: no delivery is used up (the queue would
          // dead-letter the event after a few), the event waits here until the dependency is back.
          const delay = Math.min(options.retryBaseMs * 2 ** Math.min(outage, 16), MAX_RETRY_DELAY_MS);
          logger.warn(
            { err: error, eventId: event.eventId, messageId: event.messageId, retryInMs: delay },
            'message event hit an infrastructure failure; retrying in place',
          );
          stats.retriedInPlace += 1;
          await wait(delay, stopping.signal);
        }
      }
    },
  );
  consumer.on('error', (error) => logger.warn({ err: error }, 'message consumer error'));

  /** The model failed on this text: requeue after a back-off, or dead-letter on the last delivery. */
  async function giveBack(
    error: TranslationAttemptError,
    event: MessageEvent,
    previous: number,
    lastAttempt: boolean,
  ): Promise<ConsumerStatus> {
    const context = { err: error, eventId: event.eventId, messageId: event.messageId, kind: event.kind };
    if (lastAttempt) {
      logger.error(
        { ...context, deliveries: previous + 1 },
        'message event failed on its last delivery; dead-lettering it',
      );
      stats.deadLettered += 1;
      return ConsumerStatus.DROP;
    }
    const delay = Math.min(options.retryBaseMs * 2 ** previous, MAX_RETRY_DELAY_MS);
    logger.warn({ ...context, deliveries: previous + 1, retryInMs: delay }, 'message event failed; requeueing it');
    await wait(delay, stopping.signal);
    stats.requeued += 1;
    return ConsumerStatus.REQUEUE;
  }

  return {
    consumer,
    stats,
    async close() {
      stopping.abort();
      await consumer.close();
    },
  };
}

/** Resolves after `ms`, or at once when stopping (the event is requeued for the next worker). */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
