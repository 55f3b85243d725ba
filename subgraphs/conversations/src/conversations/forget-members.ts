import type { ConversationsContext } from '../context';

/** Drops this request's loaded members of a conversation after a change to them, so later fields read the new ones. */
export function forgetMembers(ctx: ConversationsContext, conversationId: string): void {
  ctx.loaders.membersByConversationId.clear(conversationId);
  ctx.loaders.memberIdsByConversationId.clear(conversationId);
  ctx.loaders.viewerMembership.clear(conversationId);
}
