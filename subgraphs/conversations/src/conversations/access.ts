import { ForbiddenError, isUuid, NotFoundError } from '@parley/common';
import { requireUserId, type ConversationsContext } from '../context';
import type { ConversationEntity } from './conversation.entity';
import type { MembershipEntity } from './membership.entity';

export interface MemberAccess {
  userId: string;
  conversation: ConversationEntity;
  membership: MembershipEntity;
}

/**
 * The one gate in front of every conversation: null when it does not exist, FORBIDDEN (and no
 * data) when the caller is not a current member.
 */
export async function findForMember(ctx: ConversationsContext, conversationId: string): Promise<MemberAccess | null> {
  const userId = requireUserId(ctx);
  if (!isUuid(conversationId)) return null;
  const [conversation, membership] = await Promise.all([
    ctx.loaders.conversationById.load(conversationId),
    ctx.loaders.viewerMembership.load(conversationId),
  ]);
  if (!conversation) return null;
  if (!membership) throw new ForbiddenError('You are not a member of this conversation');
  return { userId, conversation, membership };
}

export async function requireMember(ctx: ConversationsContext, conversationId: string): Promise<MemberAccess> {
  const access = await findForMember(ctx, conversationId);
  if (!access) throw new NotFoundError('Conversation not found');
  return access;
}
