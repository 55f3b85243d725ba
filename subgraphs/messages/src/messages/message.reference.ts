import { isUuid } from '@parley/common';
import { isKnownAndMember } from '../conversations/access';
import type { MessagesContext } from '../context';
import { Message } from './message.type';

/**
 * Entity resolution for the router and the other subgraphs' fields: a message is visible to the
 * current members of its conversation only (FORBIDDEN otherwise), null when it does not exist.
 */
export const messageReferenceResolver = {
  Message: {
    async __resolveReference(reference: { id: string }, ctx: MessagesContext): Promise<Message | null> {
      if (!isUuid(reference.id)) return null;
      const message = await ctx.loaders.messageById.load(reference.id.toLowerCase());
      if (!message || !(await isKnownAndMember(ctx, message.conversationId))) return null;
      return Message.from(message);
    },
  },
};
