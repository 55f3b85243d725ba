import { FieldResolver, Resolver, Root, Ctx } from 'type-graphql';
import type { UsersContext } from '../context';
import { preferredLanguage } from '../users/preferred-language';
import { Conversation } from './conversation.type';

@Resolver(() => Conversation)
export class ConversationLanguagesResolver {
  @FieldResolver(() => [String])
  async languages(@Root() conversation: Conversation, @Ctx() ctx: UsersContext): Promise<string[]> {
    const users = await ctx.loaders.userById.loadMany(conversation.memberIds ?? []);
    const languages = new Set<string>();
    for (const user of users) {
      if (user && !(user instanceof Error)) languages.add(preferredLanguage(user));
    }
    return [...languages].sort();
  }
}

export const conversationReferenceResolver = {
  Conversation: {
    __resolveReference(reference: { id: string; memberIds?: string[] }): Conversation {
      return Object.assign(new Conversation(), { id: reference.id, memberIds: reference.memberIds ?? [] });
    },
  },
};
