import type { UsersContext } from '../context';
import { User } from './user.type';

/** Resolves `User` entities for other subgraphs' fields (ConversationMember.user, Message.sender...). */
export const userReferenceResolver = {
  User: {
    async __resolveReference(reference: { id: string }, ctx: UsersContext): Promise<User | null> {
      const user = await ctx.loaders.userById.load(reference.id);
      return user ? User.from(user) : null;
    },
  },
};
