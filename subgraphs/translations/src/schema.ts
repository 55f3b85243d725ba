import { buildFederatedSchema } from '@parley/common';
import type { GraphQLSchema } from 'graphql';
import { MessageFieldsResolver } from './messages/message-fields.resolver';
import { messageReferenceResolver } from './messages/message.reference';
import { Message } from './messages/message.type';
import { TranslateResolver } from './translate/translate.resolver';

export function buildTranslationsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [MessageFieldsResolver, TranslateResolver],
      // Reachable only through `_entities`, so type-graphql must be told to emit it.
      orphanedTypes: [Message],
    },
    messageReferenceResolver,
  );
}
