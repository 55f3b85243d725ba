import { randomUUID } from 'node:crypto';
import {
  declareMessagingTopology,
  createLogger,
  messageEventRoutingKey,
  messagingTopology,
  translationEventChannel,
  TRANSLATION_EVENT_PATTERN,
  TRANSLATION_REQUESTED_ROUTING_KEY,
  type MessageEvent,
  type TranslationRequest,
  type MessagingTopology,
  type TranslationEvent,
} from '@parley/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Connection, type Publisher } from 'rabbitmq-client';
import { loadTranslatorConfig, type TranslatorConfig } from '../config';

/** Test support for the translator's integration tests: real PostgreSQL, Redis and RabbitMQ. */

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export const testLogger = () => createLogger('translator-test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** A translator configuration of its own (AMQP prefix, port 0) on the test services, with the tiny model. */
export function testConfig(prefix: string, env: Record<string, string> = {}): TranslatorConfig {
  return loadTranslatorConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    AMQP_URL: TEST_AMQP_URL,
    AMQP_PREFIX: prefix,
    TRANSLATOR_PORT: '0',
    TRANSLATION_MODELS: 'test-tiny',
    TRANSLATION_MAX_NEW_TOKENS: '12',
    TRANSLATION_BATCH_WINDOW_MS: '20',
    TRANSLATION_RETRY_BASE_MS: '5',
    ...env,
  });
}

export const uniquePrefix = () => `test.${randomUUID().slice(0, 8)}.`;

/** Polls `probe` until it answers something other than undefined, null or false. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function messageEvent(overrides: Partial<MessageEvent> = {}): MessageEvent {
  return {
    eventId: randomUUID(),
    kind: 'message.created',
    messageId: randomUUID(),
    conversationId: randomUUID(),
    senderId: randomUUID(),
    seq: 1,
    version: 1,
    content: `Hello there, ${randomUUID().slice(0, 6)}`,
    originalLanguage: 'en',
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A translation request for `event`'s message and version, as the translations subgraph would queue it. */
export function translationRequest(
  event: Pick<MessageEvent, 'messageId' | 'version' | 'content' | 'originalLanguage'>,
  targetLanguages: string[],
): TranslationRequest {
  return {
    requestId: randomUUID(),
    messageId: event.messageId,
    version: event.version,
    targetLanguages,
    content: event.content,
    originalLanguage: event.originalLanguage,
    requestedAt: new Date().toISOString(),
  };
}

export interface StoredRow {
  target_language: string;
  message_version: number;
  status: string;
  translated_content: string | null;
  translation_model: string | null;
  from_cache: boolean;
  failure_reason: string | null;
  source_language: string;
}

/** The broker, the database and the translation channels, as a test sees them. */
export class Harness {
  readonly topology: MessagingTopology;
  readonly amqp = new Connection(TEST_AMQP_URL);
  readonly pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  readonly subscriber = new Redis(TEST_REDIS_URL);
  /** Every translation event seen on any conversation's channel. */
  readonly translationEvents: TranslationEvent[] = [];
  /** Bodies taken from the dead-letter queue so far. */
  readonly deadLetters: Array<{ body: unknown; reason: unknown }> = [];
  private readonly publisher: Publisher;

  constructor(readonly prefix: string) {
    this.topology = messagingTopology(prefix);
    this.amqp.on('error', () => undefined);
    this.publisher = this.amqp.createPublisher({ confirm: true, maxAttempts: 3 });
    this.subscriber.on('pmessage', (_pattern, _channel, message) => {
      this.translationEvents.push(JSON.parse(message) as TranslationEvent);
    });
  }

  async start(): Promise<void> {
    await this.subscriber.psubscribe(TRANSLATION_EVENT_PATTERN);
  }

  /**
   * Declares the topology once, as the relay does before it publishes: the translator may still be
   * connecting (it starts without waiting for the broker), and a message published to an exchange
   * with no queue bound yet would be dropped.
   */
  private declared: Promise<void> | undefined;
  private declareTopology(): Promise<void> {
    this.declared ??= declareMessagingTopology(this.amqp, this.topology, { translationRequests: true });
    return this.declared;
  }

  /** Publishes as the messages service's relay does: JSON, persistent, routing key = kind. */
  async publish(event: MessageEvent): Promise<void> {
    await this.declareTopology();
    await this.publisher.send(
      { exchange: this.topology.messageEventsExchange, routingKey: messageEventRoutingKey(event.kind), durable: true },
      event,
    );
  }

  /** Publishes as the translations subgraph does: JSON, persistent, routing key `translation.requested`. */
  async publishRequest(request: TranslationRequest): Promise<void> {
    await this.declareTopology();
    await this.publisher.send(
      { exchange: this.topology.messageEventsExchange, routingKey: TRANSLATION_REQUESTED_ROUTING_KEY, durable: true },
      request,
    );
  }

  async publishRaw(body: string | Buffer | object, routingKey = 'message.created'): Promise<void> {
    await this.declareTopology();
    await this.publisher.send({ exchange: this.topology.messageEventsExchange, routingKey, durable: true }, body);
  }

  async rows(messageId: string): Promise<StoredRow[]> {
    const result = await this.pool.query<StoredRow>(
      `select target_language, message_version, status, translated_content, translation_model, from_cache,
              failure_reason, source_language
       from translations.message_translation where message_id = $1 order by message_version, target_language`,
      [messageId],
    );
    return result.rows;
  }

  async state(messageId: string): Promise<{ current_version: number; deleted_at: Date | null } | undefined> {
    const result = await this.pool.query<{ current_version: number; deleted_at: Date | null }>(
      'select current_version, deleted_at from translations.message_state where message_id = $1',
      [messageId],
    );
    return result.rows[0];
  }

  eventsOf(messageId: string): TranslationEvent[] {
    return this.translationEvents.filter((event) => event.messageId === messageId);
  }

  channelOf(conversationId: string): string {
    return translationEventChannel(conversationId);
  }

  /** Moves what the dead-letter queue holds into `deadLetters`. */
  async drainDeadLetters(): Promise<Harness['deadLetters']> {
    const channel = await this.amqp.acquire();
    try {
      for (;;) {
        const message = await channel.basicGet({ queue: this.topology.translatorDeadLetterQueue, noAck: true });
        if (!message) break;
        const death = (message.headers?.['x-death'] as Array<{ reason?: string }> | undefined)?.[0];
        this.deadLetters.push({ body: message.body, reason: death?.reason });
      }
    } finally {
      await channel.close();
    }
    return this.deadLetters;
  }

  /** Deletes the queues and exchanges of this prefix, and closes every connection. */
  async close(): Promise<void> {
    await this.publisher.close();
    await this.amqp.queueDelete({ queue: this.topology.translatorQueue }).catch(() => undefined);
    await this.amqp.queueDelete({ queue: this.topology.translationRequestsQueue }).catch(() => undefined);
    await this.amqp.queueDelete({ queue: this.topology.translatorDeadLetterQueue }).catch(() => undefined);
    await this.amqp.exchangeDelete({ exchange: this.topology.messageEventsExchange }).catch(() => undefined);
    await this.amqp.exchangeDelete({ exchange: this.topology.deadLetterExchange }).catch(() => undefined);
    await this.amqp.close();
    await this.pool.end();
    this.subscriber.disconnect();
  }
}
