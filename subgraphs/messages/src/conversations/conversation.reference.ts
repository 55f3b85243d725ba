import type { MessagesContext } from '../context';
import { isKnownAndMember } from './access';
import { Conversation } from './conversation.type';

/**
 * Entity resolution for the router: a conversation the conversations subgraph does not know is
 * null (as `Query.conversation` answers), one the caller is not a member of is FORBIDDEN.
 */
export const conversationReferenceResolver = {
  Conversation: {
    async __resolveReference(reference: { id: string }, ctx: MessagesContext): Promise<Conversation | null> {
      if (!(await isKnownAndMember(ctx, reference.id))) return null;
      return Conversation.of(reference.id.toLowerCase());
    },
  },
};
