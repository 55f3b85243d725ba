import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { ConversationCounterEntity } from './conversation-counter.entity';

/** `Conversation.lastSeq` from the counter rows (only committed sends are visible), 0 when none. */
export function createLastSeqLoader(em: EntityManager): DataLoader<string, number> {
  return new DataLoader(async (conversationIds) => {
    const rows = await em.find(ConversationCounterEntity, { conversationId: { $in: [...conversationIds] } });
    const byId = new Map(rows.map((row) => [row.conversationId, row.lastSeq]));
    return conversationIds.map((id) => byId.get(id) ?? 0);
  });
}
