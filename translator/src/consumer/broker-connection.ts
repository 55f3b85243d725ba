import { declareMessagingTopology, withTimeout, type Logger, type MessagingTopology } from '@parley/common';
import { Connection } from 'rabbitmq-client';

/** First and longest wait between reconnection attempts: back within seconds of the broker's return. */
const RETRY_LOW_MS = 200;
const RETRY_HIGH_MS = 5_000;
/** How long stop() waits for a clean close before it drops the socket (the broker may be away). */
const CLOSE_TIMEOUT_MS = 5_000;

export interface BrokerConnection {
  readonly connection: Connection;
  /**
   * Resolves once the topology was first declared, or after `ms` without it (the broker is away):
   * start-up waits that long so that events published right after start are routed, never longer.
   */
  waitForTopology(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The translator's RabbitMQ connection. Nothing waits for it at start: rabbitmq-client connects
 * and reconnects by itself, the whole topology (dead-letter queue included) is declared on every
 * (re)connection, and the consumers declare their own queues and start consuming then. So the
 * worker starts, serves HTTP and reports RabbitMQ down in /ready while the broker is away, and
 * consumes as soon as it is back. Errors are logged once per outage.
 */
export function connectToBroker(
  options: { url: string; topology: MessagingTopology },
  logger: Logger,
): BrokerConnection {
  const connection = new Connection({
    url: options.url,
    connectionName: 'parley-translator',
    retryLow: RETRY_LOW_MS,
    retryHigh: RETRY_HIGH_MS,
  });
  let down = false;
  let declared!: () => void;
  const firstDeclaration = new Promise<void>((resolve) => (declared = resolve));
  connection.on('error', (error) => {
    if (down) {
      logger.debug({ err: error }, 'rabbitmq still unavailable');
      return;
    }
    down = true;
    logger.warn({ err: error }, 'rabbitmq unavailable; consuming resumes once it is reachable');
  });
  connection.on('connection', () => {
    if (down) logger.info('rabbitmq available again');
    down = false;
    declareMessagingTopology(connection, options.topology, { translationRequests: true }).then(
      () => {
        logger.info({ exchange: options.topology.messageEventsExchange }, 'rabbitmq connected; topology declared');
        declared();
      },
      (error: unknown) =>
        logger.warn({ err: error }, 'declaring the rabbitmq topology failed; retried on reconnection'),
    );
  });
  return {
    connection,
    async waitForTopology(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      await Promise.race([firstDeclaration, timeout]);
      clearTimeout(timer);
      if (!connection.ready) logger.warn('rabbitmq not reachable at start; consuming starts once it is');
    },
    async close() {
      await withTimeout(connection.close(), CLOSE_TIMEOUT_MS, 'rabbitmq close timed out').catch(() =>
        connection.unsafeDestroy(),
      );
    },
  };
}
