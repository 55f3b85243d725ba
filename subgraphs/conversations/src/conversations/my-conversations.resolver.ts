import { Ctx, Query, Resolver } from 'type-graphql';
import { requireUserId, type ConversationsContext } from '../context';
import type { ConversationEntity } from './conversation.entity';
import { Conversation } from './conversation.type';
import { MembershipEntity } from './membership.entity';

@Resolver()
export class MyConversationsResolver {
  /** Newest first. Two queries whatever the count; members of all of them come in one more. */
  @Query(() => [Conversation])
  async myConversations(@Ctx() ctx: ConversationsContext): Promise<Conversation[]> {
    const userId = requireUserId(ctx);
    const memberships = await ctx.em.find(MembershipEntity, { userId });
    const conversations = await ctx.loaders.conversationById.loadMany(memberships.map((m) => m.conversationId));
    return conversations
      .filter((row): row is ConversationEntity => row !== null && !(row instanceof Error))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((row) => Conversation.from(row));
  }
}
