import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { MessagesContext } from '../context';
import { Message } from '../messages/message.type';
import { checkPageSize } from '../messages/validate';
import { requireMember } from './access';
import { Conversation } from './conversation.type';

export const DEFAULT_LAST = 50;
export const MAX_LAST = 200;
export const DEFAULT_FIRST = 100;
export const MAX_FIRST = 500;

/**
 * The fields messages contributes to Conversation; members only, each batched across conversations.
 * A null page size (the contract's arguments are nullable) means the default.
 */
@Resolver(() => Conversation)
export class ConversationMessagesResolver {
  @FieldResolver(() => Int, { description: 'Seq of the newest message, 0 when there is none.' })
  async lastSeq(@Root() conversation: Conversation, @Ctx() ctx: MessagesContext): Promise<number> {
    await requireMember(ctx, conversation.id);
    return ctx.loaders.lastSeqByConversationId.load(conversation.id);
  }

  @FieldResolver(() => [Message], {
    description: 'The newest `last` messages (before `beforeSeq` when given), in ascending seq order.',
  })
  async messages(
    @Root() conversation: Conversation,
    @Arg('last', () => Int, { nullable: true, defaultValue: DEFAULT_LAST }) last: number | null,
    @Arg('beforeSeq', () => Int, { nullable: true }) beforeSeq: number | null | undefined,
    @Ctx() ctx: MessagesContext,
  ): Promise<Message[]> {
    await requireMember(ctx, conversation.id);
    const page = await ctx.loaders.latestMessages.load({
      conversationId: conversation.id,
      last: checkPageSize(last ?? DEFAULT_LAST, 1, MAX_LAST, 'last'),
      beforeSeq: beforeSeq ?? null,
    });
    return page.map((entity) => Message.from(entity));
  }

  @FieldResolver(() => [Message], {
    description: 'Messages with seq > afterSeq, ascending, at most `first`: the catch-up after a reconnect.',
  })
  async messagesSince(
    @Root() conversation: Conversation,
    @Arg('afterSeq', () => Int) afterSeq: number,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_FIRST }) first: number | null,
    @Ctx() ctx: MessagesContext,
  ): Promise<Message[]> {
    await requireMember(ctx, conversation.id);
    const page = await ctx.loaders.messagesSince.load({
      conversationId: conversation.id,
      afterSeq,
      first: checkPageSize(first ?? DEFAULT_FIRST, 1, MAX_FIRST, 'first'),
    });
    return page.map((entity) => Message.from(entity));
  }
}
