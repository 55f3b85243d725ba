import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { publishMembership } from '../realtime/conversation-events';
import { requireMember } from './access';
import { MembershipEntity } from './membership.entity';
import { successorOwner } from './successor-owner';
import { forgetMembers } from './forget-members';

@Resolver()
export class LeaveConversationResolver {
  /** An OWNER who leaves hands ownership on, so a group is never left without one. */
  @Mutation(() => Boolean)
  async leaveConversation(
    @Arg('conversationId', () => ID) conversationId: string,
    @Ctx() ctx: ConversationsContext,
  ): Promise<boolean> {
    const { userId, conversation, membership } = await requireMember(ctx, conversationId);
    const members = await ctx.loaders.membersByConversationId.load(conversation.id);
    await ctx.em.transactional(async (em) => {
      await em.nativeDelete(MembershipEntity, { conversationId: conversation.id, userId });
      if (membership.role !== 'OWNER') return;
      const remaining = members.filter((member) => member.userId !== userId);
      const next = successorOwner(remaining);
      const stillHasOwner = remaining.some((member) => member.role === 'OWNER');
      if (next && !stillHasOwner) {
        await em.nativeUpdate(
          MembershipEntity,
          { conversationId: conversation.id, userId: next.userId },
          { role: 'OWNER' },
        );
      }
    });
    forgetMembers(ctx, conversation.id);
    await publishMembership(ctx.publisher, conversation.id, [userId], 'left');
    return true;
  }
}
