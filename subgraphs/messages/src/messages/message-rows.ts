import type { EntityManager } from '@mikro-orm/postgresql';
import { MessageEntity } from './message.entity';

/** A `messages.message` row as raw SQL returns it, possibly with extra columns. */
export type MessageRow = Record<string, unknown>;

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
