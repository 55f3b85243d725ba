import type { ConversationsContext } from '../context';
import { publishMembership } from '../realtime/conversation-events';
import type { ConversationEntity } from './conversation.entity';
import { MembershipEntity } from './membership.entity';
import { forgetMembers } from './forget-members';

/**
 * Makes both people of a DIRECT conversation members again, for a repeat createConversation after
 * one (or both) left: the pair has one DIRECT conversation, so asking for it again brings back
 * whoever had left (with the history) instead of handing out a one-member conversation, and a
 * caller who had left gets no data of it without being a member again. The caller becomes OWNER
 * when neither is one any more.
 */
export async function rejoinDirect(
  ctx: ConversationsContext,
  conversation: ConversationEntity,
  pair: readonly [caller: string, other: string],
): Promise<void> {
  const rejoined = await ctx.em.transactional(async (em) => {
    const members = await em.find(MembershipEntity, { conversationId: conversation.id });
    const missing = pair.filter((userId) => !members.some((member) => member.userId === userId));
    if (missing.length === 0) return [];
    const ownerLeft = !members.some((member) => member.role === 'OWNER');
    const joinedAt = new Date();
    for (const userId of missing) {
      const role = ownerLeft && userId === pair[0] ? 'OWNER' : 'MEMBER';
      await em.upsert(
        MembershipEntity,
        { conversationId: conversation.id, userId, role, joinedAt, lastReadSeq: 0 },
        { onConflictAction: 'ignore' },
      );
    }
    return missing;
  });
  if (rejoined.length === 0) return;
  forgetMembers(ctx, conversation.id);
  await publishMembership(ctx.publisher, conversation.id, rejoined, 'joined');
}
