import { buildFederatedSchema } from '@parley/common';
import type { GraphQLSchema } from 'graphql';
import { AddConversationMemberResolver } from './conversations/add-conversation-member.resolver';
import { ConversationFieldsResolver } from './conversations/conversation-fields.resolver';
import { conversationReferenceResolver } from './conversations/conversation.reference';
import { ConversationResolver } from './conversations/conversation.resolver';
import { CreateConversationResolver } from './conversations/create-conversation.resolver';
import { LeaveConversationResolver } from './conversations/leave-conversation.resolver';
import { MarkReadResolver } from './conversations/mark-read.resolver';
import { MyConversationsResolver } from './conversations/my-conversations.resolver';
import { ReadReceiptsResolver } from './realtime/read-receipts.resolver';
import { SetTypingResolver } from './realtime/set-typing.resolver';
import { TypingResolver } from './realtime/typing.resolver';

export function buildConversationsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        ConversationResolver,
        MyConversationsResolver,
        CreateConversationResolver,
        AddConversationMemberResolver,
        LeaveConversationResolver,
        ConversationFieldsResolver,
        MarkReadResolver,
        SetTypingResolver,
        TypingResolver,
        ReadReceiptsResolver,
      ],
      // Subscriptions are served by the router, which executes these fields over signed HTTP.
    },
    conversationReferenceResolver,
  );
}
