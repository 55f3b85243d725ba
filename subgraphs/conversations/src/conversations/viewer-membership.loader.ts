import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MembershipEntity } from './membership.entity';

/** The caller's own membership row per conversation (null: not a member): access checks read one row, not the group. */
export function createViewerMembershipLoader(
  em: EntityManager,
  userId: string,
): DataLoader<string, MembershipEntity | null> {
  return new DataLoader(async (conversationIds) => {
    if (!userId) return conversationIds.map(() => null);
    const rows = await em.find(MembershipEntity, { userId, conversationId: { $in: [...conversationIds] } });
    const byConversation = new Map(rows.map((row) => [row.conversationId, row]));
    return conversationIds.map((id) => byConversation.get(id) ?? null);
  });
}
