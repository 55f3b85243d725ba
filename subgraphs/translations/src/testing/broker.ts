import { randomUUID } from 'node:crypto';
import { messagingTopology, translationRequestSchema, type TranslationRequest } from '@parley/common';
import { Connection } from 'rabbitmq-client';

export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** An AMQP prefix of its own, so a test's translation requests never reach a real translator. */
export const testAmqpPrefix = () => `test.${randomUUID().slice(0, 8)}.`;

/** The translation requests queue of one prefix, as the translator would see it. */
export class RequestQueue {
  readonly topology;
  private readonly connection = new Connection({ url: TEST_AMQP_URL, retryLow: 100, acquireTimeout: 5_000 });

  constructor(prefix: string) {
    this.topology = messagingTopology(prefix);
    this.connection.on('error', () => undefined);
  }

  /** Every job waiting in the queue now, taken out of it. */
  async take(): Promise<TranslationRequest[]> {
    const jobs: TranslationRequest[] = [];
    for (;;) {
      const message = await this.connection
        .basicGet({ queue: this.topology.translationRequestsQueue, noAck: true })
        .catch(() => undefined);
      if (!message) return jobs;
      jobs.push(translationRequestSchema.parse(message.body));
    }
  }

  /** Deletes what the prefix created on the broker and closes the connection. */
  async close(): Promise<void> {
    const { topology } = this;
    for (const queue of [
      topology.translatorQueue,
      topology.translationRequestsQueue,
      topology.translatorDeadLetterQueue,
    ]) {
      await this.connection.queueDelete({ queue }).catch(() => undefined);
    }
    for (const exchange of [topology.messageEventsExchange, topology.deadLetterExchange]) {
      await this.connection.exchangeDelete({ exchange }).catch(() => undefined);
    }
    await this.connection.close();
  }
}
