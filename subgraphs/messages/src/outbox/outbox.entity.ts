import { defineEntity, p } from '@mikro-orm/core';

/**
 * Events waiting for the relay. Written in the transaction that changes the message, deleted by
 * the relay once RabbitMQ confirmed them; the id orders publication.
 */
export const OutboxSchema = defineEntity({
  name: 'OutboxEntity',
  tableName: 'outbox',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    kind: p.string().length(32),
    /** A MessageEvent (packages/common/src/messaging/message-event.ts), eventId = id. */
    payload: p.json(),
    createdAt: p.datetime(),
  },
});

export class OutboxEntity extends OutboxSchema.class {}
OutboxSchema.setClass(OutboxEntity);
