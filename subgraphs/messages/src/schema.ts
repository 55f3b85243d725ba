import { buildFederatedSchema } from '@parley/common';
import type { GraphQLSchema } from 'graphql';
import { ConversationMessagesResolver } from './conversations/conversation-messages.resolver';
import { conversationReferenceResolver } from './conversations/conversation.reference';
import { Conversation } from './conversations/conversation.type';
import { DeleteMessageResolver } from './messages/delete-message.resolver';
import { EditMessageResolver } from './messages/edit-message.resolver';
import { MessageAddedResolver } from './messages/message-added.resolver';
import { MessageUpdatedResolver } from './messages/message-updated.resolver';
import { messageReferenceResolver } from './messages/message.reference';
import { Message } from './messages/message.type';
import { SendMessageResolver } from './messages/send-message.resolver';

export function buildMessagesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        SendMessageResolver,
        EditMessageResolver,
        DeleteMessageResolver,
        ConversationMessagesResolver,
        MessageAddedResolver,
        MessageUpdatedResolver,
      ],
      // Subscription fields are executed by the router; type-graphql demands a PubSub regardless.
      // Reachable only through `_entities` (the router asks for Conversation fields by key).
      orphanedTypes: [Conversation, Message],
    },
    { ...conversationReferenceResolver, ...messageReferenceResolver },
  );
}
