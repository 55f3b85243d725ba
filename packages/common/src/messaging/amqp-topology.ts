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
 *
 * `AMQP_PREFIX` (default '') prefixes every name, so test runs and side-by-side stacks on one
 * broker do not consume each other's events.
 */
export interface MessagingTopology {
  messageEventsExchange: string;
  deadLetterExchange: string;
  translatorQueue: string;
  translatorDeadLetterQueue: string;
  deliveryLimit: number;
}

/** Deliveries of one message before RabbitMQ dead-letters it (quorum queues count redeliveries). */
export const DEFAULT_DELIVERY_LIMIT = 5;

export function messagingTopology(prefix = '', deliveryLimit = DEFAULT_DELIVERY_LIMIT): MessagingTopology {
  return {
    messageEventsExchange: `${prefix}parley.messages`,
    deadLetterExchange: `${prefix}parley.dead-letter`,
    translatorQueue: `${prefix}translator.message-events`,
    translatorDeadLetterQueue: `${prefix}translator.message-events.dead`,
    deliveryLimit,
  };
}

export function translatorQueueDeclaration(topology: MessagingTopology) {
  return {
    queue: topology.translatorQueue,
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': topology.deliveryLimit,
      'x-dead-letter-exchange': topology.deadLetterExchange,
      // At-least-once dead-lettering: a message is not lost between the two queues...
      'x-dead-letter-strategy': 'at-least-once',
      // ...which only takes effect with reject-publish overflow.
      'x-overflow': 'reject-publish',
    },
  } as const;
}

export function deadLetterQueueDeclaration(topology: MessagingTopology) {
  return { queue: topology.translatorDeadLetterQueue, durable: true, arguments: { 'x-queue-type': 'quorum' } } as const;
}

/** Declares exchanges, queues and bindings; safe to call on every (re)start. */
export async function declareMessagingTopology(connection: Connection, topology: MessagingTopology): Promise<void> {
  await connection.exchangeDeclare({ exchange: topology.messageEventsExchange, type: 'topic', durable: true });
  await connection.exchangeDeclare({ exchange: topology.deadLetterExchange, type: 'topic', durable: true });
  await connection.queueDeclare(translatorQueueDeclaration(topology));
  await connection.queueDeclare(deadLetterQueueDeclaration(topology));
  await connection.queueBind({
    queue: topology.translatorQueue,
    exchange: topology.messageEventsExchange,
    routingKey: 'message.*',
  });
  await connection.queueBind({
    queue: topology.translatorDeadLetterQueue,
    exchange: topology.deadLetterExchange,
    routingKey: '#',
  });
}
