import { BadUserInputError, servedByRouter, SUBSCRIPTION_AUTHORIZED, subscriptionStep } from '@parley/common';
import { Arg, Ctx, ID, Resolver, Subscription } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { requireMember } from '../conversations/access';
import { isTypingEvent } from './conversation-events';
import { TypingEvent } from './typing-event.type';

@Resolver()
export class TypingResolver {
  /**
   * Executed by the router, once to authorize the subscription and once per `typing` event of the
   * conversation; the caller must be a member each time (FORBIDDEN otherwise, so a member who
   * left stops getting events). Not echoing the caller's own events is the router's part.
   */
  @Subscription(() => TypingEvent, { subscribe: servedByRouter })
  async typing(
    @Arg('conversationId', () => ID) conversationId: string,
    @Ctx() ctx: ConversationsContext,
  ): Promise<TypingEvent | typeof SUBSCRIPTION_AUTHORIZED> {
    const step = subscriptionStep(ctx.router, isTypingEvent);
    const { conversation } = await requireMember(ctx, conversationId);
    if (step.phase === 'authorize') return SUBSCRIPTION_AUTHORIZED;
    if (step.event.conversationId.toLowerCase() !== conversation.id) {
      throw new BadUserInputError('The event belongs to another conversation', 'conversationId');
    }
    return TypingEvent.from(step.event);
  }
}
