import type { Logger } from '@parley/common';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox-relay';
import { TEST_AMQP_URL, TEST_DATABASE_URL } from './stack';

/**
 * Outbox relays of one test file, on its AMQP prefix, with small batches and a short back-off so
 * that fault tests move quickly; `stopAll` stops every relay created so far.
 */
export class TestRelays {
  private readonly created: OutboxRelay[] = [];

  constructor(
    private readonly defaults: { amqpPrefix: string; pollMs: number; publishTimeoutMs: number; logger: Logger },
  ) {}

  create(amqpUrl = TEST_AMQP_URL, publishTimeoutMs = this.defaults.publishTimeoutMs): OutboxRelay {
    const options: OutboxRelayOptions = {
      databaseUrl: TEST_DATABASE_URL,
      amqpUrl,
      amqpPrefix: this.defaults.amqpPrefix,
      batchSize: 7,
      pollMs: this.defaults.pollMs,
      publishTimeoutMs,
      maxBackoffMs: 300,
      logger: this.defaults.logger,
    };
    const relay = new OutboxRelay(options);
    this.created.push(relay);
    return relay;
  }

  /** A relay built with other options, stopped with the rest. */
  track(relay: OutboxRelay): OutboxRelay {
    this.created.push(relay);
    return relay;
  }

  async stopAll(): Promise<void> {
    for (const relay of this.created.splice(0)) await relay.stop();
  }
}
