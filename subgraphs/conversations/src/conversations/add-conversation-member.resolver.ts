import { BadUserInputError, ForbiddenError, isUuid } from '@parley/common';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { publishMembership } from '../realtime/conversation-events';
import { requireMember } from './access';
import { Conversation } from './conversation.type';
import { MembershipEntity } from './membership.entity';
import { forgetMembers } from './forget-members';

@Resolver()
export class AddConversationMemberResolver {
  /** OWNER or ADMIN only. Adding someone who is already a member changes nothing. */
  @Mutation(() => Conversation)
  async addConversationMember(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('userId', () => ID) newUserId: string,
    @Ctx() ctx: ConversationsContext,
  ): Promise<Conversation> {
    const { userId, conversation, membership } = await requireMember(ctx, conversationId);
    const members = await ctx.loaders.membersByConversationId.load(conversation.id);
    if (membership.role === 'MEMBER') throw new ForbiddenError('Only an OWNER or ADMIN may add members');
    if (conversation.kind === 'DIRECT') {
      throw new BadUserInputError('A DIRECT conversation cannot get more members', 'conversationId');
    }
    const candidate = newUserId.trim().toLowerCase();
    if (members.some((member) => member.userId === candidate)) return Conversation.from(conversation);
    if (!isUuid(candidate) || !(await ctx.users.existing([candidate], userId)).has(candidate)) {
      throw new BadUserInputError(`Unknown user id: ${newUserId}`, 'userId');
    }
    await ctx.em.upsert(
      MembershipEntity,
      { conversationId: conversation.id, userId: candidate, role: 'MEMBER', joinedAt: new Date(), lastReadSeq: 0 },
      { onConflictAction: 'ignore' },
    );
    forgetMembers(ctx, conversation.id);
    await publishMembership(ctx.publisher, conversation.id, [candidate], 'joined');
    return Conversation.from(conversation);
  }
}
