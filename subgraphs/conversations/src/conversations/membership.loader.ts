import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MembershipEntity } from './membership.entity';
import { ConversationEntity } from './conversation.entity';

/** Members of many conversations in one query, oldest member first. */
export function createMembersLoader(em: EntityManager): DataLoader<string, MembershipEntity[]> {
  return new DataLoader(async (conversationIds) => {
    const rows = await em.find(
      MembershipEntity,
      { conversationId: { $in: [...conversationIds] } },
      { orderBy: { joinedAt: 'asc', userId: 'asc' } },
    );
    const byConversation = new Map<string, MembershipEntity[]>();
    for (const row of rows) {
      const list = byConversation.get(row.conversationId) ?? [];
      list.push(row);
      byConversation.set(row.conversationId, list);
    }
    return conversationIds.map((id) => byConversation.get(id) ?? []);
  });
}

export function createConversationLoader(em: EntityManager): DataLoader<string, ConversationEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await em.find(ConversationEntity, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
