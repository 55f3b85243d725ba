import type { Connection } from 'rabbitmq-client';

/**
 * The RabbitMQ topology, declared idempotently by every service that touches it (the relay that
 * publishes, the translations subgraph that asks for translations, the translator that consumes),
 * so whichever starts first creates it. The requests queue is declared only by the two services
 * that use it.
 *
 *   messages outbox relay ──► parley.messages (topic, durable) ◄── translations subgraph
 *                              │ message.*          │ translation.requested
 *                              ▼                    ▼
 *            translator.message-events   translator.translation-requests   (quorum, delivery-limit)
 *                              │ rejected / over the delivery limit
 *                              ▼
 *   parley.dead-letter (topic) ──► translator.message-events.dead (quorum; holds both kinds)
 *
 * `AMQP_PREFIX` (default '') prefixes every name, so test runs and side-by-side stacks on one
 * broker do not consume each other's events.
 */
export interface MessagingTopology {
  messageEventsExchange: string;
  deadLetterExchange: string;
  translatorQueue: string;
  /** On-demand translation requests (a variant someone read that no job was queued for). */
  translationRequestsQueue: string;
  translatorDeadLetterQueue: string;
  deliveryLimit: number;
}

/** Deliveries of one message before RabbitMQ dead-letters it (quorum queues count redeliveries). */
export const DEFAULT_DELIVERY_LIMIT = 5;

/** Routing key of message events on the messages exchange (`message.created`, ...). */
export const MESSAGE_EVENTS_BINDING = 'message.*';
/** Routing key of a translation request on the messages exchange. */
export const TRANSLATION_REQUESTED_ROUTING_KEY = 'translation.requested';

export function messagingTopology(prefix = '', deliveryLimit = DEFAULT_DELIVERY_LIMIT): MessagingTopology {
  return {
    messageEventsExchange: `${prefix}parley.messages`,
    deadLetterExchange: `${prefix}parley.dead-letter`,
    translatorQueue: `${prefix}translator.message-events`,
    translationRequestsQueue: `${prefix}translator.translation-requests`,
    translatorDeadLetterQueue: `${prefix}translator.message-events.dead`,
    deliveryLimit,
  };
}

/** A work queue of the translator: quorum, bounded deliveries, dead-lettered at least once. */
function workQueueDeclaration(queue: string, topology: MessagingTopology) {
  return {
    queue,
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

export function translatorQueueDeclaration(topology: MessagingTopology) {
  return workQueueDeclaration(topology.translatorQueue, topology);
}

/** Same durability and dead-letter rules as the message events. */
export function translationRequestsQueueDeclaration(topology: MessagingTopology) {
  return workQueueDeclaration(topology.translationRequestsQueue, topology);
}

export function deadLetterQueueDeclaration(topology: MessagingTopology) {
  return { queue: topology.translatorDeadLetterQueue, durable: true, arguments: { 'x-queue-type': 'quorum' } } as const;
}

/**
 * The exchanges, queues and bindings every service declares, in the shape rabbitmq-client's
 * publishers and consumers take, so they re-declare them themselves on every (re)connection.
 */
export function messagingTopologyDeclarations(topology: MessagingTopology) {
  return {
    exchanges: [
      { exchange: topology.messageEventsExchange, type: 'topic', durable: true },
      { exchange: topology.deadLetterExchange, type: 'topic', durable: true },
    ],
    queues: [translatorQueueDeclaration(topology), deadLetterQueueDeclaration(topology)],
    queueBindings: [
      { queue: topology.translatorQueue, exchange: topology.messageEventsExchange, routingKey: MESSAGE_EVENTS_BINDING },
      { queue: topology.translatorDeadLetterQueue, exchange: topology.deadLetterExchange, routingKey: '#' },
    ],
  };
}

/**
 * The above plus the translation requests queue and its binding: declared by the two services that
 * use it (the translations subgraph that publishes requests, the translator that consumes them),
 * not by the outbox relay, which never touches it.
 */
export function translationRequestTopologyDeclarations(topology: MessagingTopology) {
  const base = messagingTopologyDeclarations(topology);
  return {
    exchanges: base.exchanges,
    queues: [...base.queues, translationRequestsQueueDeclaration(topology)],
    queueBindings: [
      ...base.queueBindings,
      {
        queue: topology.translationRequestsQueue,
        exchange: topology.messageEventsExchange,
        routingKey: TRANSLATION_REQUESTED_ROUTING_KEY,
      },
    ],
  };
}

/**
 * Declares exchanges, queues and bindings; safe to call on every (re)start. With
 * `translationRequests`, the translation requests queue too.
 */
export async function declareMessagingTopology(
  connection: Connection,
  topology: MessagingTopology,
  options: { translationRequests?: boolean } = {},
): Promise<void> {
  const { exchanges, queues, queueBindings } = options.translationRequests
    ? translationRequestTopologyDeclarations(topology)
    : messagingTopologyDeclarations(topology);
  for (const exchange of exchanges) await connection.exchangeDeclare(exchange);
  for (const queue of queues) await connection.queueDeclare(queue);
  for (const binding of queueBindings) await connection.queueBind(binding);
}
