import type { Logger } from '@parley/common';
import { ConsumerStatus, type AsyncMessage, type Connection, type Consumer, type ConsumerProps } from 'rabbitmq-client';
import type { z } from 'zod';
import { CountedAttemptError } from './attempt-errors';

export interface Delivery {
  /** The queue dead-letters this message if this attempt fails too. */
  lastAttempt: boolean;
  /** RabbitMQ delivered it before (a crash or a failed attempt). */
  redelivered: boolean;
}

export interface ConsumerStats {
  /** Bodies handled and acknowledged. */
  acked: number;
  /** Failed attempts given back to the queue. */
  requeued: number;
  /** Attempts repeated in place after an infrastructure failure (no delivery used up). */
  retriedInPlace: number;
  /** Bodies rejected to the dead-letter queue (unparseable, or failed on the last delivery). */
  deadLettered: number;
}

export type ParsedBody<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface QueueConsumerOptions<T> {
  connection: Connection;
  /** Queue, exchanges and bindings, declared by the consumer itself on every (re)connection. */
  declarations: Pick<ConsumerProps, 'queue' | 'queueOptions' | 'exchanges' | 'queueBindings'>;
  /** What the queue carries, for the logs: 'message event', 'translation request'. */
  what: string;
  /** Deliveries the queue allows (its x-delivery-limit). */
  deliveryLimit: number;
  /** Unacknowledged deliveries at once, and as many handlers running, so the batcher can fill batches. */
  prefetch: number;
  parse: (body: unknown) => ParsedBody<T>;
  handle: (value: T, delivery: Delivery) => Promise<void>;
  /** Log fields naming one body (ids). */
  describe: (value: T) => Record<string, unknown>;
  /** First wait before a failed body is requeued; doubles per delivery, capped at MAX_RETRY_DELAY_MS. */
  retryBaseMs: number;
  logger: Logger;
}

export interface RunningConsumer {
  readonly consumer: Consumer;
  readonly stats: ConsumerStats;
  /** True while the queue is declared and consumed (false until the broker is reached, and during outages). */
  consuming(): boolean;
  /** Stops taking deliveries, lets the running handlers finish (and ack), then closes the channel. */
  close(): Promise<void>;
}

const MAX_RETRY_DELAY_MS = 30_000;
/** How long close() waits for a consumer whose broker is unreachable. */
const CLOSE_WITHOUT_BROKER_MS = 500;

/** The body as rabbitmq-client hands it over (a Buffer, a string, or JSON it already parsed), checked by `schema`. */
export function parseJsonBody<S extends z.ZodType>(body: unknown, schema: S): ParsedBody<z.infer<S>> {
  let value: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      value = JSON.parse(body.toString());
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    return {
      ok: false,
      reason: result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, value: result.data };
}

/** Deliveries before this one, as the quorum queue counts them (absent on the first). */
export function deliveryCount(message: Pick<AsyncMessage, 'headers'>): number {
  const value = Number(message.headers?.['x-delivery-count'] ?? 0);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Consumes one of the translator's quorum queues with manual acks. A body that does not parse is
 * rejected at once (to the dead-letter queue). When an attempt fails in a counted way
 * (CountedAttemptError: the model failed, the message is not recorded yet), the body is requeued
 * after a short back-off, and on the last delivery the queue allows the handler is told so
 * (`lastAttempt`) and a failure then rejects it to the dead-letter queue, where it stays for
 * operators. An infrastructure failure (database, subgraph, network) uses up no delivery: the
 * handler is retried in place until the dependency is back. Other bodies keep flowing meanwhile.
 *
 * rabbitmq-client declares the queue and its bindings and starts consuming on every
 * (re)connection, so this works the same whether the broker is up at start or comes up later.
 */
export function startQueueConsumer<T>(options: QueueConsumerOptions<T>): RunningConsumer {
  const { logger, what } = options;
  const queue = options.declarations.queue;
  const stopping = new AbortController();
  const stats: ConsumerStats = { acked: 0, requeued: 0, deadLettered: 0, retriedInPlace: 0 };

  const consumer = options.connection.createConsumer(
    {
      ...options.declarations,
      qos: { prefetchCount: options.prefetch },
      concurrency: options.prefetch,
      requeue: true,
    },
    async (message) => {
      const parsed = options.parse(message.body);
      if (!parsed.ok) {
        logger.error(
          { queue, reason: parsed.reason, routingKey: message.routingKey, amqpMessageId: message.messageId },
          `${what} does not parse; dead-lettering it`,
        );
        stats.deadLettered += 1;
        return ConsumerStatus.DROP;
      }
      const { value } = parsed;
      const previous = deliveryCount(message);
      const lastAttempt = previous >= options.deliveryLimit;
      const redelivered = message.redelivered || previous > 0;
      for (let outage = 0; ; outage++) {
        try {
          await options.handle(value, { lastAttempt, redelivered: redelivered || outage > 0 });
          stats.acked += 1;
          return ConsumerStatus.ACK;
        } catch (error) {
          if (error instanceof CountedAttemptError) return giveBack(error, value, previous, lastAttempt);
          if (stopping.signal.aborted) {
            // Shutting down in the middle of an outage: back to the queue for the next worker.
            stats.requeued += 1;
            return ConsumerStatus.REQUEUE;
          }
          // PostgreSQL, a subgraph or the network is down: no delivery is used up (the queue would
          // dead-letter the body after a few), it waits here until the dependency is back.
          const delay = Math.min(options.retryBaseMs * 2 ** Math.min(outage, 16), MAX_RETRY_DELAY_MS);
          logger.warn(
            { err: error, queue, ...options.describe(value), retryInMs: delay },
            `${what} hit an infrastructure failure; retrying in place`,
          );
          stats.retriedInPlace += 1;
          await wait(delay, stopping.signal);
        }
      }
    },
  );

  // Set-up errors repeat on every reconnection attempt while the broker is away: warn once per outage.
  let failing = false;
  let consuming = false;
  consumer.on('error', (error) => {
    consuming = false;
    if (failing) logger.debug({ err: error, queue }, `${what} consumer still waiting for RabbitMQ`);
    else logger.warn({ err: error, queue }, `${what} consumer cannot consume yet; it resumes once RabbitMQ is back`);
    failing = true;
  });
  consumer.on('ready', () => {
    failing = false;
    consuming = true;
    logger.info({ queue, prefetch: options.prefetch }, `consuming ${what}s`);
  });

  /** A counted failure: requeue after a back-off, or dead-letter on the last delivery. */
  async function giveBack(
    error: CountedAttemptError,
    value: T,
    previous: number,
    lastAttempt: boolean,
  ): Promise<ConsumerStatus> {
    const context = { err: error, queue, ...options.describe(value) };
    if (lastAttempt) {
      logger.error({ ...context, deliveries: previous + 1 }, `${what} failed on its last delivery; dead-lettering it`);
      stats.deadLettered += 1;
      return ConsumerStatus.DROP;
    }
    const delay = Math.min(options.retryBaseMs * 2 ** previous, MAX_RETRY_DELAY_MS);
    logger.warn({ ...context, deliveries: previous + 1, retryInMs: delay }, `${what} failed; requeueing it`);
    await wait(delay, stopping.signal);
    stats.requeued += 1;
    return ConsumerStatus.REQUEUE;
  }

  return {
    consumer,
    stats,
    consuming: () => consuming && options.connection.ready,
    async close() {
      stopping.abort();
      const closing = consumer.close();
      if (options.connection.ready) {
        await closing;
        return;
      }
      // The broker is away: nothing can be acked, and close() would wait out rabbitmq-client's
      // channel acquisition (20 s). Give it a moment; the connection is destroyed next anyway.
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_WITHOUT_BROKER_MS).unref())]);
    },
  };
}

/** Resolves after `ms`, or at once when stopping (the body is requeued for the next worker). */
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
