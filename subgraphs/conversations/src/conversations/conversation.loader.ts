import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { ConversationEntity } from './conversation.entity';

export function createConversationLoader(em: EntityManager): DataLoader<string, ConversationEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await em.find(ConversationEntity, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
