import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { requireMember } from '../conversations/access';

@Resolver()
export class SetTypingResolver {
  /**
   * Members only. Nothing is stored: the event goes to the conversation's subscribers, and a
   * `true` lapses by itself after TYPING_TTL_MS unless renewed. Rate-limited per user and
   * conversation (RATE_LIMITED).
   */
  @Mutation(() => Boolean)
  async setTyping(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('isTyping', () => Boolean) isTyping: boolean,
    @Ctx() ctx: ConversationsContext,
  ): Promise<boolean> {
    const { userId, conversation } = await requireMember(ctx, conversationId);
    await ctx.typingLimiter.consume(`${conversation.id}:${userId}`, {
      limit: ctx.config.TYPING_RATE_LIMIT,
      windowSeconds: ctx.config.TYPING_RATE_WINDOW_SECONDS,
    });
    await ctx.publisher.conversation({
      type: 'typing',
      conversationId: conversation.id,
      userId,
      isTyping,
      ttlMs: ctx.config.TYPING_TTL_MS,
      occurredAt: new Date().toISOString(),
    });
    return true;
  }
}
