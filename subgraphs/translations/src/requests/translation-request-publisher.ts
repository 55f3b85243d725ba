import {
  messagingTopology,
  TRANSLATION_REQUESTED_ROUTING_KEY,
  translationRequestTopologyDeclarations,
  withTimeout,
  type Logger,
  type MessagingTopology,
  type TranslationRequest,
} from '@parley/common';
import { Connection, type Publisher } from 'rabbitmq-client';

export interface TranslationRequestPublisherOptions {
  amqpUrl: string;
  amqpPrefix: string;
  /** Longest wait for RabbitMQ (connection and confirm) per job before it counts as not sent. */
  publishTimeoutMs: number;
  logger: Logger;
}

/** How long stop() waits for a clean close before it drops the socket (the broker may be away). */
const CLOSE_TIMEOUT_MS = 3_000;

/**
 * Publishes translation requests to the messages exchange (`translation.requested`), persistent
 * and with publisher confirms. The connection is opened at start but never awaited: while the
 * broker is away `send` answers false at once (and the caller gives its claim back), so neither
 * start-up nor a read ever waits on RabbitMQ. The publisher declares the whole topology before its
 * first job and after every reconnection, so a job is never unroutable.
 */
export class TranslationRequestPublisher {
  readonly topology: MessagingTopology;
  private readonly connection: Connection;
  private readonly publisher: Publisher;
  private failing = false;

  constructor(private readonly options: TranslationRequestPublisherOptions) {
    this.topology = messagingTopology(options.amqpPrefix);
    this.connection = new Connection({
      url: options.amqpUrl,
      connectionName: 'parley-translations',
      acquireTimeout: options.publishTimeoutMs,
      connectionTimeout: options.publishTimeoutMs,
      retryLow: 200,
      retryHigh: 5_000,
    });
    this.connection.on('error', (error) => this.outage(error));
    this.connection.on('connection', () => {
      if (this.failing) options.logger.info('rabbitmq available again; translation requests flow');
      this.failing = false;
    });
    this.publisher = this.connection.createPublisher({
      confirm: true,
      maxAttempts: 1,
      ...translationRequestTopologyDeclarations(this.topology),
    });
  }

  /**
   * Gives the first connection up to `ms` (reads right after start then queue their jobs too);
   * never fails: without the broker the subgraph starts anyway and the client keeps reconnecting.
   */
  async waitForBroker(ms: number): Promise<void> {
    await this.connection.onConnect(ms, true).catch(() => {
      this.options.logger.warn('rabbitmq not reachable at start; translation requests are queued once it is');
      this.failing = true;
    });
  }

  /** Whether RabbitMQ is connected now; logs the outage (once) when it is not. */
  available(): boolean {
    if (this.connection.ready) return true;
    this.outage(new Error('not connected'));
    return false;
  }

  /** True once RabbitMQ confirmed the job; false (logged) when it is down or did not confirm in time. */
  async send(request: TranslationRequest): Promise<boolean> {
    if (!this.available()) return false;
    try {
      await withTimeout(
        this.publisher.send(
          {
            exchange: this.topology.messageEventsExchange,
            routingKey: TRANSLATION_REQUESTED_ROUTING_KEY,
            durable: true,
            contentType: 'application/json',
            messageId: request.requestId,
          },
          request,
        ),
        this.options.publishTimeoutMs,
        'rabbitmq did not confirm the translation request in time',
      );
      return true;
    } catch (error) {
      this.outage(error);
      return false;
    }
  }

  async close(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    await withTimeout(this.connection.close(), CLOSE_TIMEOUT_MS, 'rabbitmq close timed out').catch(() =>
      this.connection.unsafeDestroy(),
    );
  }

  /** Once per outage at warn, then at debug: a read-heavy minute without the broker is one line. */
  private outage(error: unknown): void {
    if (this.failing) {
      this.options.logger.debug({ err: error }, 'translation request not published');
      return;
    }
    this.failing = true;
    this.options.logger.warn(
      { err: error },
      'rabbitmq unavailable; translation requests are not queued (a later read asks again)',
    );
  }
}
