import { ForbiddenError, isUuid, NotFoundError } from '@parley/common';
import { requireUserId, type MessagesContext } from '../context';

/**
 * The gate in front of a conversation's messages: false when the conversations subgraph does not
 * know the conversation, FORBIDDEN (and no data) when the caller is not a current member.
 */
export async function isKnownAndMember(ctx: MessagesContext, conversationId: string): Promise<boolean> {
  const userId = requireUserId(ctx);
  if (!isUuid(conversationId)) return false;
  const id = conversationId.toLowerCase();
  let members = await ctx.loaders.membersByConversationId.load(id);
  // A refusal gets a second look past the membership cache: a member who just joined is not turned
  // away while the cache waits for (or missed) the `joined` event.
  if (!members?.includes(userId)) members = await ctx.loaders.freshMembersByConversationId.load(id);
  if (!members) return false;
  if (!members.includes(userId)) throw new ForbiddenError('You are not a member of this conversation');
  return true;
}

/** As isKnownAndMember, with NOT_FOUND for an unknown conversation; returns the caller's id. */
export async function requireMember(ctx: MessagesContext, conversationId: string): Promise<string> {
  if (!(await isKnownAndMember(ctx, conversationId))) throw new NotFoundError('Conversation not found');
  return requireUserId(ctx);
}
