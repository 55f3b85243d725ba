import { buildFederatedSchema } from '@parley/common';
import type { GraphQLSchema } from 'graphql';
import {
  ConversationLanguagesResolver,
  conversationReferenceResolver,
} from './conversations/conversation-languages.resolver';
import { Conversation } from './conversations/conversation.type';
import { SupportedLanguagesResolver } from './languages/supported-languages.resolver';
import { MeResolver } from './users/me.resolver';
import { SignInResolver } from './users/sign-in.resolver';
import { SignUpResolver } from './users/sign-up.resolver';
import { UpdateLanguagePreferencesResolver } from './users/update-language-preferences.resolver';
import { userReferenceResolver } from './users/user.reference';
import { UserResolver } from './users/user.resolver';

export function buildUsersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        SignUpResolver,
        SignInResolver,
        MeResolver,
        UserResolver,
        UpdateLanguagePreferencesResolver,
        SupportedLanguagesResolver,
        ConversationLanguagesResolver,
      ],
      // Reachable only through `_entities`, so type-graphql must be told to emit it.
      orphanedTypes: [Conversation],
    },
    { ...userReferenceResolver, ...conversationReferenceResolver },
  );
}
