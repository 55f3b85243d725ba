import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageEvent } from '@parley/common';
import type { MessageData } from '../messages/message-rows';

/**
 * The channel the relay LISTENs on. The outbox table is the message: relays read no payload. A
 * send's NOTIFY names its outbox id, a relay's names the relay (see OutboxRelay), others are empty.
 */
export const OUTBOX_CHANNEL = 'messages_outbox';

/** Wakes every relay LISTENing (at once outside a transaction, at its commit inside one). */
export async function notifyOutboxRelays(em: EntityManager): Promise<void> {
  await em.execute(`select pg_notify(?, '')`, [OUTBOX_CHANNEL]);
}

/**
 * The outbox id sequence (bigserial), named rather than found by pg_get_serial_sequence, which
 * looks it up in the catalogs on every call (about 5 µs of backend CPU per send).
 */
export const OUTBOX_ID_SEQUENCE = '"messages"."outbox_id_seq"';

/** The event describing a message as it is now; eventId is filled in from the outbox row id. */
export function messageEvent(
  kind: MessageEvent['kind'],
  message: MessageData,
  occurredAt: Date,
): Omit<MessageEvent, 'eventId'> {
  return {
    kind,
    messageId: message.id,
    conversationId: message.conversationId,
    senderId: message.senderId,
    seq: message.seq,
    version: message.version,
    content: message.content,
    originalLanguage: message.originalLanguage,
    occurredAt: occurredAt.toISOString(),
  };
}

/**
 * Records an event in the outbox. Must run inside the transaction that made the change, so the
 * event exists exactly when the change does; the NOTIFY is delivered at commit and wakes the relay.
 */
export async function writeOutboxEvent(em: EntityManager, event: Omit<MessageEvent, 'eventId'>): Promise<string> {
  const [row] = await em.execute<Array<{ id: string }>>(
    `with next as (select nextval('${OUTBOX_ID_SEQUENCE}'::regclass) as id)
     insert into "messages"."outbox" ("id", "kind", "payload", "created_at")
     select next.id, ?, jsonb_set(?::jsonb, '{eventId}', to_jsonb(next.id::text)), ?::timestamptz from next
     returning "id"::text as "id"`,
    [event.kind, JSON.stringify(event), event.occurredAt],
  );
  await em.execute(`select pg_notify(?, '')`, [OUTBOX_CHANNEL]);
  return row!.id;
}
