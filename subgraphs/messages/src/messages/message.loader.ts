import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MessageEntity } from './message.entity';

export function createMessageLoader(em: EntityManager): DataLoader<string, MessageEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await em.find(MessageEntity, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
