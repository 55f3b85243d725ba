import { BadUserInputError, servedByRouter, SUBSCRIPTION_AUTHORIZED, subscriptionStep } from '@parley/common';
import { Arg, Ctx, ID, Resolver, Subscription } from 'type-graphql';
import type { ConversationsContext } from '../context';
import { requireMember } from '../conversations/access';
import { isReadEvent } from './conversation-events';
import { ReadReceipt } from './read-receipt.type';

@Resolver()
export class ReadReceiptsResolver {
  /**
   * Executed by the router, once to authorize the subscription and once per `read` event of the
   * conversation; the caller must be a member each time (FORBIDDEN otherwise). Not echoing the
   * caller's own receipts is the router's part.
   */
  @Subscription(() => ReadReceipt, { subscribe: servedByRouter })
  async readReceipts(
    @Arg('conversationId', () => ID) conversationId: string,
    @Ctx() ctx: ConversationsContext,
  ): Promise<ReadReceipt | typeof SUBSCRIPTION_AUTHORIZED> {
    const step = subscriptionStep(ctx.router, isReadEvent);
    const { conversation } = await requireMember(ctx, conversationId);
    if (step.phase === 'authorize') return SUBSCRIPTION_AUTHORIZED;
    if (step.event.conversationId.toLowerCase() !== conversation.id) {
      throw new BadUserInputError('The event belongs to another conversation', 'conversationId');
    }
    return ReadReceipt.from(step.event);
  }
}
