import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MembershipEntity } from './membership.entity';

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
