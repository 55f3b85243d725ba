import { servedByRouter, subscriptionStep } from '@parley/common';
import { Arg, Ctx, ID, Resolver, Subscription } from 'type-graphql';
import type { MessagesContext } from '../context';
import { Message } from './message.type';
import { isMessageCreated, subscribedMessage, type Authorized } from './subscribed-message';

@Resolver()
export class MessageAddedResolver {
  /**
   * Executed by the router (see subscriptions/router-executed.ts): once to authorize a subscriber,
   * then once per `message.created` event of the conversation, as that subscriber.
   */
  @Subscription(() => Message, {
    subscribe: servedByRouter,
    description: 'New messages of a conversation; each subscriber gets its own language variant (README.md).',
  })
  async messageAdded(
    @Arg('conversationId', () => ID) conversationId: string,
    @Ctx() ctx: MessagesContext,
  ): Promise<Message | Authorized> {
    return subscribedMessage(ctx, conversationId, subscriptionStep(ctx.router, isMessageCreated));
  }
}
