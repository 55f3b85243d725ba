import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageEvent } from '@parley/common';
import type { LocalOutboxRelay } from '../outbox/local-outbox-relay';
import {
  messageEvent,
  notifyOutboxRelays,
  OUTBOX_CHANNEL,
  OUTBOX_ID_SEQUENCE,
  writeOutboxEvent,
} from '../outbox/outbox-writer';
import type { MessageEntity } from './message.entity';
import { toMessageData, toMessageEntity, type MessageData, type MessageRow } from './message-rows';

export interface NewMessage {
  id: string;
  conversationId: string;
  senderId: string;
  clientMessageId: string;
  content: string;
  originalLanguage: string;
  createdAt: Date;
}

/*
 * The statements of sendMessage, editMessage and deleteMessage. Each writes its outbox event in the
 * same transaction as the change: the edit and delete run inside the caller's transaction (`em` is
 * the transactional fork); the send is one statement, atomic by itself.
 */

/** The outcome of a send: the message stored under the key, and whether this call stored it. */
export interface InsertedMessage {
  message: MessageData;
  /** false: the sender had already used this clientMessageId; `message` is the one stored then. */
  created: boolean;
}

/**
 * What the send statement returns: the new message's seq (the rest is the caller's), or
 * created = false for a repeat, whose stored message is read afterwards (a retry is rare; every
 * column returned costs each send output formatting in PostgreSQL and parsing here).
 */
interface SendRow {
  seq: number;
  created: boolean;
}

/** The send statement (see insertMessage), with `?` placeholders for the EntityManager. */
const SEND_STATEMENT = `with "existing" as (
    select 1 from "messages"."message" where "sender_id" = ? and "client_message_id" = ?
  ), "counter" as (
    insert into "messages"."conversation_counter" as c ("conversation_id", "last_seq")
    select ?, 1 where not exists (select 1 from "existing")
    on conflict ("conversation_id") do update set "last_seq" = c."last_seq" + 1
    returning "last_seq"
  ), "inserted" as (
    insert into "messages"."message"
      ("id", "conversation_id", "sender_id", "seq", "client_message_id", "content", "original_language", "version", "created_at")
    select ?, ?, ?, "counter"."last_seq", ?, ?, ?, 1, ?::timestamptz from "counter"
    returning "seq", "created_at"
  ), "outboxed" as (
    insert into "messages"."outbox" ("id", "kind", "payload", "created_at")
    select "next"."id", ?, ?::jsonb || jsonb_build_object('seq', "inserted"."seq", 'eventId', "next"."id"::text), "inserted"."created_at"
    from "inserted" cross join lateral (select nextval('${OUTBOX_ID_SEQUENCE}'::regclass) as "id") "next"
    returning "id"
  ), "notified" as (
    select case when ?::boolean then pg_notify(?, "outboxed"."id"::text) end from "outboxed"
  )
  select "inserted"."seq", true as "created" from "inserted" where exists (select 1 from "notified")
  union all
  select null, false from "existing"`;
/** The same with PostgreSQL's `$1`… placeholders, for a prepared statement. */
const SEND_STATEMENT_NUMBERED = numberPlaceholders(SEND_STATEMENT);
/** Name of the prepared statement on each pooled connection. */
const SEND_STATEMENT_NAME = 'parley_messages_send';

/**
 * Runs the send statement. Outside a transaction (every sendMessage request) it is a named
 * prepared statement on the ORM's own connection pool: PostgreSQL parses and plans it once per
 * connection instead of once per send, as it must for the SQL text with the values inlined that
 * `em.execute` sends (measured on PostgreSQL 15: 0.55–0.61 ms of backend CPU per statement inlined,
 * 0.25–0.29 ms prepared). Inside a caller's transaction it goes through the EntityManager, on the
 * transaction's connection.
 */
async function runSendStatement(em: EntityManager, params: unknown[]): Promise<SendRow[]> {
  if (em.getTransactionContext()) return em.execute<SendRow[]>(SEND_STATEMENT, params);
  const pool = await em.getConnection().getNativeClient();
  const result = await pool.query<SendRow>({
    name: SEND_STATEMENT_NAME,
    text: SEND_STATEMENT_NUMBERED,
    values: params,
  });
  return result.rows;
}

/** `?` placeholders (the statement holds no other question mark) as `$1`, `$2`, … */
function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Thrown by PostgreSQL when a concurrent send with the same key committed first. */
const SENDER_KEY_CONSTRAINT = 'message_sender_id_client_message_id_unique';

/**
 * The whole send in one statement, so the conversation's counter row lock is held for a single
 * round trip instead of a transaction's five (begin, counter, insert, outbox, commit):
 *
 * - `existing`: a message already stored under (sender, clientMessageId); then nothing else
 *   happens, and that message is read and returned with created = false.
 * - `counter`: the conversation's next seq (`on conflict do update` locks the row until the
 *   statement commits, serialising the conversation's senders).
 * - `inserted` / `outboxed`: the message and its `message.created` event (eventId = outbox id).
 * - `notified`: a NOTIFY at commit, only when `relay` cannot be told directly (see
 *   LocalOutboxRelay): inside a caller's transaction, which commits later, or with no relay
 *   running in this process. Otherwise `relay.committed()` once the statement has committed.
 *
 * A concurrent send with the same key that committed after this statement's snapshot makes the
 * message insert fail on the UNIQUE constraint: the statement rolls back as a whole (the seq is
 * given back, no gap) and the committed winner is read and returned instead. Run inside a caller's
 * transaction it rolls back with it.
 */
export async function insertMessage(
  em: EntityManager,
  message: NewMessage,
  relay?: LocalOutboxRelay,
): Promise<InsertedMessage> {
  const toldDirectly = relay?.takesLocalCommits === true && !em.getTransactionContext();
  const event: Omit<MessageEvent, 'eventId' | 'seq'> = {
    kind: 'message.created',
    messageId: message.id,
    conversationId: message.conversationId,
    senderId: message.senderId,
    version: 1,
    content: message.content,
    originalLanguage: message.originalLanguage,
    occurredAt: message.createdAt.toISOString(),
  };
  let row: SendRow | undefined;
  try {
    [row] = await runSendStatement(em, [
      message.senderId,
      message.clientMessageId,
      message.conversationId,
      message.id,
      message.conversationId,
      message.senderId,
      message.clientMessageId,
      message.content,
      message.originalLanguage,
      event.occurredAt,
      event.kind,
      JSON.stringify(event),
      !toldDirectly,
      OUTBOX_CHANNEL,
    ]);
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint !== SENDER_KEY_CONSTRAINT) throw error;
    // The key's first send committed while ours ran; ours rolled back, seq included.
  }
  if (!row?.created) return { message: await storedUnderKey(em, message), created: false };
  // The relay stopped taking commits while the statement ran: NOTIFY as the statement would have.
  // The row is committed either way (a failed NOTIFY leaves it to the relays' poll).
  if (toldDirectly && !relay.committed()) await notifyOutboxRelays(em).catch(() => undefined);
  return {
    message: {
      id: message.id,
      conversationId: message.conversationId,
      senderId: message.senderId,
      seq: Number(row.seq),
      clientMessageId: message.clientMessageId,
      content: message.content,
      originalLanguage: message.originalLanguage,
      version: 1,
      createdAt: message.createdAt,
      editedAt: null,
      deletedAt: null,
    },
    created: true,
  };
}

/** The message a sender stored under a clientMessageId before (a repeat of its send). */
async function storedUnderKey(em: EntityManager, message: NewMessage): Promise<MessageData> {
  const [row] = await em.execute<MessageRow[]>(
    `select * from "messages"."message" where "sender_id" = ? and "client_message_id" = ?`,
    [message.senderId, message.clientMessageId],
  );
  if (!row) throw new Error('sendMessage stored no message, and none is stored under its key');
  return toMessageData(em, row);
}

/** New content, version + 1; null when the message is deleted (or not the sender's). */
export async function updateMessageContent(
  em: EntityManager,
  messageId: string,
  senderId: string,
  content: string,
  editedAt: Date,
): Promise<MessageEntity | null> {
  const [row] = await em.execute<MessageRow[]>(
    `update "messages"."message" set "content" = ?, "version" = "version" + 1, "edited_at" = ?::timestamptz
     where "id" = ? and "sender_id" = ? and "deleted_at" is null
     returning *`,
    [content, editedAt.toISOString(), messageId, senderId],
  );
  if (!row) return null;
  const edited = toMessageEntity(em, row);
  await writeOutboxEvent(em, messageEvent('message.edited', edited, editedAt));
  return edited;
}

/** Empties the content and stamps deletedAt (version unchanged); null when it was already deleted. */
export async function markMessageDeleted(
  em: EntityManager,
  messageId: string,
  senderId: string,
  deletedAt: Date,
): Promise<MessageEntity | null> {
  const [row] = await em.execute<MessageRow[]>(
    `update "messages"."message" set "content" = '', "deleted_at" = ?::timestamptz
     where "id" = ? and "sender_id" = ? and "deleted_at" is null
     returning *`,
    [deletedAt.toISOString(), messageId, senderId],
  );
  if (!row) return null;
  const deleted = toMessageEntity(em, row);
  await writeOutboxEvent(em, messageEvent('message.deleted', deleted, deletedAt));
  return deleted;
}
