import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';

/**
 * The ceiling the send path is compared with: on the same machine and services, one plain
 * INSERT of a message row and one AMQP publish of its event, waiting for the broker's confirm.
 * No GraphQL, no router, no signature, no membership check, no transaction, no seq.
 */
export interface RawSender {
  send(conversationId: string, senderId: string, content: string): Promise<void>;
  close(): Promise<void>;
}

export async function openRawSender(databaseUrl: string, amqpUrl: string): Promise<RawSender> {
  const schema = `bench_raw_${randomUUID().slice(0, 8)}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(`create schema ${schema}`);
  await pool.query(`
    create table ${schema}.message (
      id uuid primary key, conversation_id uuid not null, sender_id uuid not null,
      content text not null, original_language varchar(8) not null, created_at timestamptz not null
    )`);
  const connection = new Connection({ url: amqpUrl });
  const exchange = `${schema}.messages`;
  const queue = `${schema}.events`;
  await connection.exchangeDeclare({ exchange, type: 'topic', durable: true });
  // A quorum queue like the translator's, so the confirm covers the same replicated write.
  await connection.queueDeclare({ queue, durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await connection.queueBind({ queue, exchange, routingKey: 'message.*' });
  const publisher = connection.createPublisher({ confirm: true });
  return {
    async send(conversationId, senderId, content) {
      const id = randomUUID();
      const createdAt = new Date();
      await pool.query(
        `insert into ${schema}.message (id, conversation_id, sender_id, content, original_language, created_at)
         values ($1, $2, $3, $4, $5, $6)`,
        [id, conversationId, senderId, content, 'en', createdAt],
      );
      await publisher.send(
        { exchange, routingKey: 'message.created', durable: true, messageId: id, contentType: 'application/json' },
        { id, conversationId, senderId, content, originalLanguage: 'en', createdAt: createdAt.toISOString() },
      );
    },
    async close() {
      await publisher.close();
      await connection.queueDelete({ queue });
      await connection.exchangeDelete({ exchange });
      await connection.close();
      await pool.query(`drop schema ${schema} cascade`);
      await pool.end();
    },
  };
}
