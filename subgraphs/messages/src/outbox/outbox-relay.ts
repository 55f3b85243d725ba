import { randomUUID } from 'node:crypto';
import {
  declareMessagingTopology,
  messageEventRoutingKey,
  messagingTopology,
  type Logger,
  type MessageEvent,
  type MessagingTopology,
  withTimeout,
} from '@parley/common';
import pg from 'pg';
import { Connection, type Publisher } from 'rabbitmq-client';
import { backoffDelay } from './backoff';
import { withCorkedWrites } from './corked-amqp-writes';
import type { LocalOutboxRelay } from './local-outbox-relay';
import { OUTBOX_CHANNEL } from './outbox-writer';

export interface OutboxRelayOptions {
  databaseUrl: string;
  amqpUrl: string;
  /** Prefix of the RabbitMQ names (messagingTopology). Default ''. */
  amqpPrefix?: string;
  /** Rows published and confirmed per transaction. Default 200. */
  batchSize?: number;
  /** Safety-net poll besides the wakes (committed(), LISTEN/NOTIFY). Default 1000 ms. */
  pollMs?: number;
  /** Longest wait for RabbitMQ per batch (connection, topology, confirms). Default 5000 ms. */
  publishTimeoutMs?: number;
  /** Cap of the exponential back-off after failures. Default 5000 ms. */
  maxBackoffMs?: number;
  logger: Logger;
}

interface OutboxRow {
  id: string;
  kind: MessageEvent['kind'];
  /**
   * The MessageEvent as JSON text, eventId = id, published as it is: parsing it here only for the
   * publisher to serialise it again cost 5–10 µs of CPU per event.
   */
  body: string;
}

const FIRST_BACKOFF_MS = 100;
/** Names the LISTEN connection in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'parley-messages-outbox-listen';
/** One relay drains at a time, so events of a conversation leave in outbox-id order across replicas. */
const DRAIN_LOCK = 'parley:messages:outbox-relay';

/**
 * Moves events from the PostgreSQL outbox to RabbitMQ, at least once and in outbox order.
 *
 * Woken by writers of this process once they committed (committed()), by NOTIFY (from writers
 * elsewhere or inside a transaction, and from other relays, below) and by a poll. Each batch runs
 * in one transaction: lock the oldest rows, publish them with publisher confirms, delete them,
 * commit. A row leaves the outbox only after RabbitMQ confirmed it; any failure rolls back, the
 * rows stay, and the relay retries with exponential back-off. A crash between confirm and commit
 * publishes a batch twice; consumers recognise the repeat by eventId (= outbox id).
 *
 * One relay drains at a time (an advisory lock). A local commit that finds the lock taken is
 * NOTIFYed to the holder, which goes round once more: its batch may have been selected before the
 * commit, and nothing else would tell it about the row before its next poll.
 */
export class OutboxRelay implements LocalOutboxRelay {
  private readonly topology: MessagingTopology;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly publishTimeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: Logger;

  /** Payload of this relay's own NOTIFY, which its listener ignores. */
  private readonly notifyPayload = `relay:${randomUUID()}`;
  private readonly pool: pg.Pool;
  private amqp?: Connection;
  private publisher?: Publisher;
  private listener?: pg.Client;
  private readonly droppedListeners = new WeakSet<pg.Client>();
  private pollTimer?: NodeJS.Timeout;
  private listenRetryTimer?: NodeJS.Timeout;
  private listenFailures = 0;

  /** Bumped on every (re)connection to RabbitMQ; the topology is declared once per value. */
  private connectionEpoch = 0;
  private declaredEpoch = -1;

  private started = false;
  private stopping = false;
  private wanted = false;
  /** committed() was called since the last drain attempt began: nobody NOTIFYed those rows. */
  private unannounced = false;
  private loop?: Promise<void>;
  private failures = 0;
  private cancelSleep?: () => void;

  constructor(private readonly options: OutboxRelayOptions) {
    this.topology = messagingTopology(options.amqpPrefix ?? '');
    this.batchSize = options.batchSize ?? 200;
    this.pollMs = options.pollMs ?? 1_000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.logger = options.logger.child({ component: 'outbox-relay' });
    // A pool connects lazily, so pending() works on a relay that was never started.
    this.pool = new pg.Pool({
      connectionString: options.databaseUrl,
      application_name: 'parley-messages-outbox-relay',
      max: 2,
      connectionTimeoutMillis: 5_000,
    });
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle outbox database connection failed'));
  }

  /** Starts relaying. Does not wait for RabbitMQ: the outbox simply fills until it is reachable. */
  async start(): Promise<void> {
    if (this.amqp || this.stopping) throw new Error('an outbox relay starts once');
    const amqp = new Connection({
      url: this.options.amqpUrl,
      connectionName: 'parley-messages-outbox-relay',
      acquireTimeout: this.publishTimeoutMs,
      connectionTimeout: this.publishTimeoutMs,
      retryLow: FIRST_BACKOFF_MS * 2,
      retryHigh: this.maxBackoffMs,
    });
    amqp.on('error', (error) => this.logger.warn({ err: error }, 'RabbitMQ connection error'));
    amqp.on('connection', () => {
      this.connectionEpoch += 1;
      this.logger.info('connected to RabbitMQ');
      this.wake();
    });
    this.amqp = amqp;
    this.publisher = amqp.createPublisher({ confirm: true, maxAttempts: 1 });

    await this.listen();
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
    this.started = true;
    this.wake();
  }

  /**
   * False while this relay fails (backing off from RabbitMQ or its database): its writers then
   * NOTIFY again, so that healthy replicas drain their rows at once instead of at their poll.
   */
  get takesLocalCommits(): boolean {
    return this.started && !this.stopping && this.failures === 0;
  }

  committed(): boolean {
    if (!this.takesLocalCommits) return false;
    this.unannounced = true;
    this.wake();
    return true;
  }

  /** Finishes the batch in flight (bounded by the publish timeout), then closes every connection. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.listenRetryTimer);
    this.cancelSleep?.();
    await this.loop;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      this.droppedListeners.add(listener);
      await listener.end().catch(() => undefined);
    }
    await this.publisher?.close().catch(() => undefined);
    if (this.amqp) {
      const amqp = this.amqp;
      await withTimeout(amqp.close(), this.publishTimeoutMs, 'RabbitMQ close timed out').catch(() =>
        amqp.unsafeDestroy(),
      );
    }
    await this.pool.end();
  }

  /** Rows waiting in the outbox. */
  async pending(): Promise<number> {
    const result = await this.pool.query<{ n: number }>(`select count(*)::int as n from "messages"."outbox"`);
    return result.rows[0]?.n ?? 0;
  }

  /** Resolves once the outbox is empty; rejects after `timeoutMs` with the number still pending. */
  async whenDrained(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.wake();
      const pending = await this.pending();
      if (pending === 0) return;
      if (Date.now() >= deadline)
        throw new Error(`outbox not drained after ${timeoutMs} ms: ${pending} row(s) pending`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Asks for a drain; a running drain loop goes round once more instead of starting another. */
  private wake(): void {
    if (this.stopping) return;
    this.wanted = true;
    if (!this.loop) {
      this.loop = this.drainLoop().finally(() => {
        this.loop = undefined;
        // A wake that came after the loop's last check but before this line would be lost.
        if (this.wanted) this.wake();
      });
    }
  }

  private async drainLoop(): Promise<void> {
    let published = 0;
    while (this.wanted && !this.stopping) {
      this.wanted = false;
      try {
        const count = await this.drainBatch();
        published += count;
        if (this.failures > 0) {
          const backlog = await this.pending().catch(() => undefined);
          this.logger.info({ failures: this.failures, published: count, backlog }, 'outbox relay recovered');
          this.failures = 0;
        }
        // A full batch means there is probably more behind it.
        if (count === this.batchSize) this.wanted = true;
      } catch (error) {
        this.failures += 1;
        const delayMs = backoffDelay(this.failures, FIRST_BACKOFF_MS, this.maxBackoffMs);
        this.logger.warn({ err: error, failures: this.failures, retryInMs: delayMs }, 'outbox relay attempt failed');
        // stop() may have come while this attempt ran; its rows stay for the next relay.
        if (this.stopping) break;
        await this.sleep(delayMs);
        this.wanted = true;
      }
    }
    if (published > 0) this.logger.debug({ published }, 'outbox events published');
  }

  /** One transaction: lock the oldest rows, publish with confirms, delete them. Returns rows published. */
  private async drainBatch(): Promise<number> {
    const client = await this.pool.connect();
    // Commits reported before this point are visible to the select below, if it gets the lock.
    const unannounced = this.unannounced;
    this.unannounced = false;
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const lock = await client.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as locked', [
        DRAIN_LOCK,
      ]);
      if (!lock.rows[0]?.locked) {
        // Another relay is draining, and may have selected its batch before our writers committed:
        // tell it (at commit) to go round again. Otherwise the poll brings us back if it stops.
        if (unannounced) {
          await client.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, this.notifyPayload]);
          await client.query('commit');
        } else {
          await client.query('rollback');
        }
        return 0;
      }
      const { rows } = await client.query<OutboxRow>(
        `select "id"::text as "id", "kind", ("payload" || jsonb_build_object('eventId', "id"::text))::text as "body"
         from "messages"."outbox"
         order by "id" limit $1 for update skip locked`,
        [this.batchSize],
      );
      if (rows.length > 0) {
        await this.publish(rows);
        await client.query(`delete from "messages"."outbox" where "id" = any($1::bigint[])`, [
          rows.map((row) => row.id),
        ]);
      }
      await client.query('commit');
      return rows.length;
    } catch (error) {
      this.unannounced ||= unannounced;
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Publishes the rows in order on one confirm-mode channel and waits for every confirm, within
   * publishTimeoutMs: with RabbitMQ away the publisher would otherwise wait for a connection.
   */
  private async publish(rows: OutboxRow[]): Promise<void> {
    const publisher = this.publisher;
    const amqp = this.amqp;
    if (!publisher || !amqp) throw new Error('outbox relay is not started');
    await withTimeout(this.declareTopology(amqp), this.publishTimeoutMs, 'declaring the RabbitMQ topology timed out');
    // On an open channel each send writes its frames at once, before its first await.
    const confirms = withCorkedWrites(amqp, () =>
      rows.map((row) =>
        publisher.send(
          {
            exchange: this.topology.messageEventsExchange,
            routingKey: messageEventRoutingKey(row.kind),
            durable: true,
            messageId: row.id,
            contentType: 'application/json',
          },
          Buffer.from(row.body),
        ),
      ),
    );
    // After a timeout the remaining confirms may still settle; nobody awaits them any more.
    for (const confirm of confirms) confirm.catch(() => undefined);
    try {
      await withTimeout(Promise.all(confirms), this.publishTimeoutMs, 'RabbitMQ publisher confirms timed out');
    } catch (error) {
      // A channel error (an exchange deleted under us, say) does not reconnect: declare again next time.
      this.declaredEpoch = -1;
      throw error;
    }
  }

  private async declareTopology(amqp: Connection): Promise<void> {
    if (this.declaredEpoch === this.connectionEpoch) return;
    await declareMessagingTopology(amqp, this.topology);
    this.declaredEpoch = this.connectionEpoch;
  }

  /** A dedicated connection for LISTEN, re-opened with back-off whenever it drops. */
  private async listen(): Promise<void> {
    if (this.stopping) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: 5_000,
    });
    client.on('notification', (notification) => {
      // Our own, sent when we found the lock taken: the other relays are for it, not us.
      if (notification.payload !== this.notifyPayload) this.wake();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'outbox LISTEN connection failed');
      this.dropListener(client);
    });
    client.on('end', () => this.dropListener(client));
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
      if (this.stopping) {
        this.droppedListeners.add(client);
        await client.end();
        return;
      }
      this.listener = client;
      if (this.listenFailures > 0) this.logger.info('outbox LISTEN connection restored');
      this.listenFailures = 0;
      // Whatever was notified while nobody listened is still in the table.
      this.wake();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not LISTEN for outbox events');
      this.dropListener(client);
    }
  }

  private dropListener(client: pg.Client): void {
    if (this.droppedListeners.has(client)) return;
    this.droppedListeners.add(client);
    if (this.listener === client) this.listener = undefined;
    client.end().catch(() => undefined);
    if (this.stopping) return;
    this.listenFailures += 1;
    const delayMs = backoffDelay(this.listenFailures, FIRST_BACKOFF_MS, this.maxBackoffMs);
    this.listenRetryTimer = setTimeout(() => void this.listen(), delayMs);
    this.listenRetryTimer.unref();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.cancelSleep = done;
    });
  }
}
