import type { EntityManager } from '@mikro-orm/postgresql';
import { messageEvent, writeOutboxEvent } from '../outbox/outbox-writer';
import type { MessageEntity } from './message.entity';
import { toMessageEntity, type MessageRow } from './message-rows';

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
 * The statements of sendMessage, editMessage and deleteMessage. Each runs inside the caller's
 * transaction (`em` is the transactional fork) and writes its outbox event there too.
 */

/**
 * Takes the conversation's next seq and inserts the message, unless the sender already used
 * this clientMessageId: then it returns null and the caller must roll back, which gives the seq
 * back. The counter row lock serialises senders of one conversation until commit.
 */
export async function insertMessage(em: EntityManager, message: NewMessage): Promise<MessageEntity | null> {
  const [counter] = await em.execute<Array<{ last_seq: number }>>(
    `insert into "messages"."conversation_counter" as c ("conversation_id", "last_seq") values (?, 1)
     on conflict ("conversation_id") do update set "last_seq" = c."last_seq" + 1
     returning "last_seq"`,
    [message.conversationId],
  );
  const [row] = await em.execute<MessageRow[]>(
    `insert into "messages"."message"
       ("id", "conversation_id", "sender_id", "seq", "client_message_id", "content", "original_language", "version", "created_at")
     values (?, ?, ?, ?, ?, ?, ?, 1, ?::timestamptz)
     on conflict ("sender_id", "client_message_id") do nothing
     returning *`,
    [
      message.id,
      message.conversationId,
      message.senderId,
      counter!.last_seq,
      message.clientMessageId,
      message.content,
      message.originalLanguage,
      message.createdAt.toISOString(),
    ],
  );
  if (!row) return null;
  const created = toMessageEntity(em, row);
  await writeOutboxEvent(em, messageEvent('message.created', created, message.createdAt));
  return created;
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
