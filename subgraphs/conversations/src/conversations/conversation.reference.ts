import { isUuid } from '@parley/common';
import type { ConversationsContext } from '../context';
import { Conversation } from './conversation.type';

/**
 * Entity resolution for other subgraphs. Only the router (signed) reaches `_entities`, and the
 * subgraph that returns a conversation reference has already checked the viewer's access to it.
 */
export const conversationReferenceResolver = {
  Conversation: {
    async __resolveReference(reference: { id: string }, ctx: ConversationsContext): Promise<Conversation | null> {
      if (!isUuid(reference.id)) return null;
      const entity = await ctx.loaders.conversationById.load(reference.id);
      return entity ? Conversation.from(entity) : null;
    },
  },
};
