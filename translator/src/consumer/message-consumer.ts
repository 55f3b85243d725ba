import {
  messageEventSchema,
  messagingTopologyDeclarations,
  translatorQueueDeclaration,
  type Logger,
  type MessageEvent,
  type MessagingTopology,
} from '@parley/common';
import type { Connection } from 'rabbitmq-client';
import type { MessageEventHandler } from './message-event-handler';
import { parseJsonBody, startQueueConsumer, type RunningConsumer } from './queue-consumer';

export { deliveryCount, type ConsumerStats, type RunningConsumer } from './queue-consumer';

export interface MessageConsumerOptions {
  connection: Connection;
  topology: MessagingTopology;
  /** Unacknowledged deliveries at once, and as many handlers running, so the batcher can fill batches. */
  prefetch: number;
  handler: MessageEventHandler;
  /** First wait before a failed event is requeued; doubles per delivery, capped at 30 s. */
  retryBaseMs: number;
  logger: Logger;
}

export type ParsedBody = { ok: true; event: MessageEvent } | { ok: false; reason: string };

/** The body as rabbitmq-client hands it over (a Buffer, a string, or JSON it already parsed), as a MessageEvent. */
export function parseMessageEvent(body: unknown): ParsedBody {
  const parsed = parseJsonBody(body, messageEventSchema);
  return parsed.ok ? { ok: true, event: parsed.value } : parsed;
}

/**
 * Consumes the message events queue (`translator.message-events`) with the rules of
 * startQueueConsumer: unparseable → dead-letter at once; the model failed → requeue with back-off,
 * FAILED rows and dead-letter on the last delivery; infrastructure down → retried in place.
 */
export function startMessageConsumer(options: MessageConsumerOptions): RunningConsumer {
  const { topology } = options;
  const { exchanges, queueBindings } = messagingTopologyDeclarations(topology);
  return startQueueConsumer<MessageEvent>({
    connection: options.connection,
    declarations: {
      queue: topology.translatorQueue,
      queueOptions: translatorQueueDeclaration(topology),
      exchanges,
      queueBindings: queueBindings.filter((binding) => binding.queue === topology.translatorQueue),
    },
    what: 'message event',
    deliveryLimit: topology.deliveryLimit,
    prefetch: options.prefetch,
    parse: (body) => parseJsonBody(body, messageEventSchema),
    handle: (event, delivery) => options.handler.handle(event, delivery),
    describe: (event) => ({ eventId: event.eventId, messageId: event.messageId, kind: event.kind }),
    retryBaseMs: options.retryBaseMs,
    logger: options.logger,
  });
}
