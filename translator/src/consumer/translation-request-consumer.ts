import {
  translationRequestTopologyDeclarations,
  translationRequestSchema,
  translationRequestsQueueDeclaration,
  type Logger,
  type MessagingTopology,
  type TranslationRequest,
} from '@parley/common';
import type { Connection } from 'rabbitmq-client';
import { parseJsonBody, startQueueConsumer, type ParsedBody, type RunningConsumer } from './queue-consumer';
import type { TranslationRequestHandler } from './translation-request-handler';

export interface TranslationRequestConsumerOptions {
  connection: Connection;
  topology: MessagingTopology;
  prefetch: number;
  handler: TranslationRequestHandler;
  retryBaseMs: number;
  logger: Logger;
}

export const parseTranslationRequest = (body: unknown): ParsedBody<TranslationRequest> =>
  parseJsonBody(body, translationRequestSchema);

/**
 * Consumes `translator.translation-requests` under the same rules as the message events (the same
 * quorum arguments, delivery limit and dead-letter queue; see startQueueConsumer).
 */
export function startTranslationRequestConsumer(options: TranslationRequestConsumerOptions): RunningConsumer {
  const { topology } = options;
  const { exchanges, queueBindings } = translationRequestTopologyDeclarations(topology);
  return startQueueConsumer<TranslationRequest>({
    connection: options.connection,
    declarations: {
      queue: topology.translationRequestsQueue,
      queueOptions: translationRequestsQueueDeclaration(topology),
      exchanges,
      queueBindings: queueBindings.filter((binding) => binding.queue === topology.translationRequestsQueue),
    },
    what: 'translation request',
    deliveryLimit: topology.deliveryLimit,
    prefetch: options.prefetch,
    parse: parseTranslationRequest,
    handle: (request, delivery) => options.handler.handle(request, delivery),
    describe: (request) => ({
      requestId: request.requestId,
      messageId: request.messageId,
      version: request.version,
      targetLanguages: request.targetLanguages,
    }),
    retryBaseMs: options.retryBaseMs,
    logger: options.logger,
  });
}
