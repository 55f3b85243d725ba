import type { EntityManager } from '@mikro-orm/postgresql';
import { MessageEntity } from './message.entity';

/** A `messages.message` row as raw SQL returns it, possibly with extra columns. */
export type MessageRow = Record<string, unknown>;

/** A message's stored fields, managed (MessageEntity) or not (the send path's StoredMessage). */
export type MessageData = Pick<
  MessageEntity,
  | 'id'
  | 'conversationId'
  | 'senderId'
  | 'seq'
  | 'clientMessageId'
  | 'content'
  | 'originalLanguage'
  | 'version'
  | 'createdAt'
  | 'editedAt'
  | 'deletedAt'
>;

/**
 * A raw row as a plain object, without the EntityManager: a send only returns and announces the
 * row it wrote, and hydrating it into the identity map (`em.map`) cost about as much CPU as the
 * statement itself. Timestamps are parsed by the platform, exactly as MikroORM parses them.
 */
export function toMessageData(em: EntityManager, row: MessageRow): MessageData {
  const platform = em.getPlatform();
  const date = (value: unknown): Date | null => (value == null ? null : platform.parseDate(value as string));
  return {
    id: row.id as string,
    conversationId: row.conversation_id as string,
    senderId: row.sender_id as string,
    seq: Number(row.seq),
    clientMessageId: row.client_message_id as string,
    content: row.content as string,
    originalLanguage: row.original_language as string,
    version: Number(row.version),
    createdAt: date(row.created_at)!,
    editedAt: date(row.edited_at),
    deletedAt: date(row.deleted_at),
  };
}

/** Turns a raw row into a managed entity (column names and types converted by MikroORM). */
export function toMessageEntity(em: EntityManager, row: MessageRow): MessageEntity {
  return em.map(MessageEntity, row);
}

/** Splits the rows of a batched query by the `key_index` column (1-based, from `with ordinality`). */
export function groupByKeyIndex(em: EntityManager, rows: MessageRow[], keys: number): MessageEntity[][] {
  const groups: MessageEntity[][] = Array.from({ length: keys }, () => []);
  for (const { key_index: index, ...row } of rows) {
    groups[Number(index) - 1]?.push(toMessageEntity(em, row));
  }
  return groups;
}
