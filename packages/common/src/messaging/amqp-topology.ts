import type { Connection } from 'rabbitmq-client';

/**
 * The RabbitMQ topology, declared idempotently by every service that touches it (the relay that
 * publishes and the translator that consumes), so whichever starts first creates it.
 *
 *   messages outbox relay ──► parley.messages (topic, durable)
 *                                  │ message.*
 *                                  ▼
 *                   translator.message-events (quorum, delivery-limit)
 *                                  │ rejected / over the delivery limit
 *                                  ▼
 *   parley.dead-letter (topic) ──► translator.message-events.dead (quorum)
 */
export const MESSAGE_EVENTS_EXCHANGE = 'parley.messages';
export const DEAD_LETTER_EXCHANGE = 'parley.dead-letter';
export const TRANSLATOR_QUEUE = 'translator.message-events';
export const TRANSLATOR_DEAD_LETTER_QUEUE = 'translator.message-events.dead';

/** Deliveries of one message before RabbitMQ dead-letters it (quorum queues count redeliveries). */
export const DEFAULT_DELIVERY_LIMIT = 5;

export interface TopologyOptions {
  /** Default DEFAULT_DELIVERY_LIMIT. Changing it on an existing queue needs a policy, not a redeclare. */
  deliveryLimit?: number;
}

export const messageEventsExchange = { exchange: MESSAGE_EVENTS_EXCHANGE, type: 'topic', durable: true } as const;
export const deadLetterExchange = { exchange: DEAD_LETTER_EXCHANGE, type: 'topic', durable: true } as const;

export function translatorQueueDeclaration(options: TopologyOptions = {}) {
  return {
    queue: TRANSLATOR_QUEUE,
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      // at-least-once dead-lettering: a message is not lost between the two queues.
      'x-dead-letter-strategy': 'at-least-once',
      // at-least-once dead-lettering only takes effect with reject-publish overflow.
      'x-overflow': 'reject-publish',
    },
  } as const;
}

export const deadLetterQueueDeclaration = {
  queue: TRANSLATOR_DEAD_LETTER_QUEUE,
  durable: true,
  arguments: { 'x-queue-type': 'quorum' },
} as const;

/** Declares exchanges, queues and bindings; safe to call on every (re)start. */
export async function declareMessagingTopology(connection: Connection, options: TopologyOptions = {}): Promise<void> {
  await connection.exchangeDeclare(messageEventsExchange);
  await connection.exchangeDeclare(deadLetterExchange);
  await connection.queueDeclare(translatorQueueDeclaration(options));
  await connection.queueDeclare(deadLetterQueueDeclaration);
  await connection.queueBind({ queue: TRANSLATOR_QUEUE, exchange: MESSAGE_EVENTS_EXCHANGE, routingKey: 'message.*' });
  await connection.queueBind({ queue: TRANSLATOR_DEAD_LETTER_QUEUE, exchange: DEAD_LETTER_EXCHANGE, routingKey: '#' });
}
