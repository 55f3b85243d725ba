import { messagingTopology } from '@parley/common';
import { Connection } from 'rabbitmq-client';
import { TEST_AMQP_URL } from './stack';

/** A queue that receives every message event published under a test file's AMQP prefix. */
export interface EventTap {
  /** The connection to read `queue` with (basicGet). */
  amqp: Connection;
  queue: string;
  /** Deletes the queue and what the prefix's relays declared (translator queues, exchanges), then closes. */
  close(): Promise<void>;
}

export async function openEventTap(prefix: string, queue: string): Promise<EventTap> {
  const topology = messagingTopology(prefix);
  const amqp = new Connection({ url: TEST_AMQP_URL, acquireTimeout: 5_000 });
  amqp.on('error', () => undefined);
  await amqp.exchangeDeclare({ exchange: topology.messageEventsExchange, type: 'topic', durable: true });
  await amqp.queueDeclare({ queue, durable: false });
  await amqp.queueBind({ queue, exchange: topology.messageEventsExchange, routingKey: 'message.*' });
  return {
    amqp,
    queue,
    async close() {
      for (const each of [queue, topology.translatorQueue, topology.translatorDeadLetterQueue]) {
        await amqp.queueDelete({ queue: each }).catch(() => undefined);
      }
      for (const exchange of [topology.messageEventsExchange, topology.deadLetterExchange]) {
        await amqp.exchangeDelete({ exchange }).catch(() => undefined);
      }
      await amqp.close();
    },
  };
}
