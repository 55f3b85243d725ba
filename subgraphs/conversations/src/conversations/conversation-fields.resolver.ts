import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { ConversationMember } from './conversation-member.type';
import { Conversation } from './conversation.type';

@Resolver(() => Conversation)
export class ConversationFieldsResolver {
  @FieldResolver(() => [ConversationMember])
  async members(@Root() conversation: Conversation, @Ctx() ctx: ConversationsContext): Promise<ConversationMember[]> {
    const members = await ctx.loaders.membersByConversationId.load(conversation.id);
    return members.map((member) => ConversationMember.from(member));
  }

  /** Current member ids; the users subgraph computes `languages` from them (@requires). */
  @FieldResolver(() => [ID])
  async memberIds(@Root() conversation: Conversation, @Ctx() ctx: ConversationsContext): Promise<string[]> {
    return ctx.loaders.memberIdsByConversationId.load(conversation.id);
  }
}
