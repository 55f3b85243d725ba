import { BadUserInputError, ForbiddenError } from '@parley/common';
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { requireMember } from './access';
import { ConversationMember } from './conversation-member.type';
import { MembershipEntity } from './membership.entity';

@Resolver()
export class MarkReadResolver {
  /**
   * Members only. lastReadSeq only moves forward: a lower or equal seq changes nothing (and
   * announces nothing), so marks that arrive out of order never move it back. A seq beyond the
   * conversation's newest message is accepted: lastSeq belongs to the messages subgraph, and
   * asking it on every mark would cost a call for a value clients take from it anyway.
   */
  @Mutation(() => ConversationMember)
  async markRead(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('seq', () => Int) seq: number,
    @Ctx() ctx: ConversationsContext,
  ): Promise<ConversationMember> {
    const { userId, conversation, membership } = await requireMember(ctx, conversationId);
    if (seq < 0) throw new BadUserInputError('seq must be 0 or more', 'seq');
    const key = { conversationId: conversation.id, userId };
    // One conditional UPDATE: concurrent marks never move the value back, and only a mark that
    // advanced it announces the new value (after the commit: the statement runs on its own).
    const advanced = await ctx.em.nativeUpdate(
      MembershipEntity,
      { ...key, lastReadSeq: { $lt: seq } },
      { lastReadSeq: seq },
    );
    if (advanced > 0) {
      await ctx.publisher.conversation({
        type: 'read',
        conversationId: conversation.id,
        userId,
        lastReadSeq: seq,
        occurredAt: new Date().toISOString(),
      });
      return Object.assign(ConversationMember.from(membership), { lastReadSeq: seq });
    }
    const current = await ctx.em.findOne(MembershipEntity, key, { refresh: true });
    // Left the conversation between the access check and the update.
    if (!current) throw new ForbiddenError('You are not a member of this conversation');
    return ConversationMember.from(current);
  }
}
