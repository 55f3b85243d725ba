import type { MessageChangeEvent } from '@parley/common';
import type { MessagesContext } from '../context';
import type { MessageData } from './message-rows';

/**
 * Tells the routers' subscription layer, on the conversation's Redis channel, that a message
 * changed. Call it only after the transaction committed, and only when something did change (a new
 * message, a new version, a deletion), so each change is announced once. The event names the
 * message and carries no text: each subscriber's router reads it back through this subgraph.
 *
 * Fire-and-forget: the publisher never throws and gives up after its short timeout, and the
 * request does not wait for it, so a slow or absent Redis never slows down or fails the write.
 */
export function announceMessageChange(
  ctx: MessagesContext,
  type: MessageChangeEvent['type'],
  message: MessageData,
  occurredAt: Date,
): void {
  void ctx.publisher.conversation({
    type,
    messageId: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    version: message.version,
    originalLanguage: message.originalLanguage,
    senderId: message.senderId,
    occurredAt: occurredAt.toISOString(),
  });
}
