import { ForbiddenError, isUuid, NotFoundError } from '@parley/common';
import { requireMember } from '../conversations/access';
import type { MessagesContext } from '../context';
import type { MessageEntity } from './message.entity';

/**
 * A message its caller may change: it exists (NOT_FOUND otherwise), the caller sent it and is
 * still a member of its conversation (FORBIDDEN otherwise).
 */
export async function requireOwnMessage(ctx: MessagesContext, messageId: string): Promise<MessageEntity> {
  const message = isUuid(messageId) ? await ctx.loaders.messageById.load(messageId.toLowerCase()) : null;
  if (!message) throw new NotFoundError('Message not found');
  const userId = await requireMember(ctx, message.conversationId);
  if (message.senderId !== userId) throw new ForbiddenError('Only the sender may change a message');
  return message;
}
