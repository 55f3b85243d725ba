import {
  BadUserInputError,
  isUuid,
  NotFoundError,
  SUBSCRIPTION_AUTHORIZED,
  type ConversationEvent,
  type MessageChangeEvent,
  type SubscriptionStep,
} from '@parley/common';
import { requireMember } from '../conversations/access';
import { requireUserId, type MessagesContext } from '../context';
import { Message } from './message.type';

/** The stub a subscription field answers the authorize step with (the router selects only `__typename`). */
export type Authorized = typeof SUBSCRIPTION_AUTHORIZED;

/**
 * What `messageAdded` and `messageUpdated` answer for one step of the router's subscription
 * execution. Both steps require a current member of the conversation (FORBIDDEN otherwise, NOT_FOUND
 * for a conversation that does not exist), so a member who leaves stops receiving with the next
 * event. `authorize` answers the stub; `event` answers the message the event names as it is now in
 * the database, in the shape the Message fields (and the translations subgraph's `@requires`)
 * expect. An event of another conversation is refused: the router must never make one
 * subscriber's field resolve another conversation's message.
 */
export async function subscribedMessage(
  ctx: MessagesContext,
  conversationArgument: string,
  step: SubscriptionStep<MessageChangeEvent>,
): Promise<Message | Authorized> {
  requireUserId(ctx);
  if (!isUuid(conversationArgument)) throw new NotFoundError('Conversation not found');
  const conversationId = conversationArgument.toLowerCase();
  if (step.phase === 'event' && step.event.conversationId.toLowerCase() !== conversationId) {
    throw new BadUserInputError('The event belongs to another conversation', 'conversationId');
  }
  await requireMember(ctx, conversationId);
  if (step.phase === 'authorize') return SUBSCRIPTION_AUTHORIZED;

  const message = await ctx.loaders.messageById.load(step.event.messageId.toLowerCase());
  if (!message || message.conversationId !== conversationId) throw new NotFoundError('Message not found');
  return Message.from(message);
}

/** `messageAdded` takes the creation of a message. */
export const isMessageCreated = (event: ConversationEvent): event is MessageChangeEvent & { type: 'message.created' } =>
  event.type === 'message.created';

const MESSAGE_CHANGES: ReadonlySet<string> = new Set<MessageChangeEvent['type']>([
  'message.created',
  'message.edited',
  'message.deleted',
]);

/**
 * `messageUpdated` takes every message change: edits, deletions, and also a `message.created` event,
 * which the router sends for a late translation of version 1 (the message itself is unchanged; the
 * subscriber's `text` now resolves to the stored translation).
 */
export const isMessageChange = (event: ConversationEvent): event is MessageChangeEvent =>
  MESSAGE_CHANGES.has(event.type);
