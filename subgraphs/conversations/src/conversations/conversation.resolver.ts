import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { findForMember } from './access';
import { Conversation } from './conversation.type';

@Resolver()
export class ConversationResolver {
  @Query(() => Conversation, { nullable: true })
  async conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: ConversationsContext): Promise<Conversation | null> {
    const access = await findForMember(ctx, id);
    return access ? Conversation.from(access.conversation) : null;
  }
}
