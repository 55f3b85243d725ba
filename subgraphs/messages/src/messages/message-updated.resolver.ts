import { servedByRouter, subscriptionStep } from '@parley/common';
import { Arg, Ctx, ID, Resolver, Subscription } from 'type-graphql';
import type { MessagesContext } from '../context';
import { Message } from './message.type';
import { isMessageChange, subscribedMessage, type Authorized } from './subscribed-message';

@Resolver()
export class MessageUpdatedResolver {
  /**
   * Executed by the router (see subscriptions/router-executed.ts): once to authorize a subscriber,
   * then once per edit, deletion or late translation of one of the conversation's messages.
   */
  @Subscription(() => Message, {
    subscribe: servedByRouter,
    description: "Edits, deletions and late translations of a conversation's messages, by the same rule.",
  })
  async messageUpdated(
    @Arg('conversationId', () => ID) conversationId: string,
    @Ctx() ctx: MessagesContext,
  ): Promise<Message | Authorized> {
    return subscribedMessage(ctx, conversationId, subscriptionStep(ctx.router, isMessageChange));
  }
}
