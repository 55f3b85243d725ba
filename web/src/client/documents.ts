import { gql, type TypedDocumentNode } from '@urql/core';
import type {
  MessageAddedSubscription,
  MessageAddedSubscriptionVariables,
  MessagesSinceQuery,
  MessagesSinceQueryVariables,
  MessageUpdatedSubscription,
  MessageUpdatedSubscriptionVariables,
} from '../gql/graphql';

/**
 * The client's operations. `pnpm schema:check` validates every gql-tagged document under web/src
 * against the API schema and `pnpm codegen` types them into ../gql/graphql.ts; the annotations
 * below tie each document to its generated types. Keep the gql tag directly before the template
 * (no type arguments) so both tools find it.
 */

/** What a conversation feed hands out, the same for live events and catch-up pages. */
export const FeedMessage = gql`
  fragment FeedMessage on Message {
    id
    conversationId
    seq
    clientMessageId
    content
    originalLanguage
    version
    createdAt
    editedAt
    deletedAt
    sender {
      id
      displayName
    }
    text {
      language
      content
      status
      isOriginal
    }
  }
`;

export const MessageAddedDocument: TypedDocumentNode<MessageAddedSubscription, MessageAddedSubscriptionVariables> = gql`
  subscription MessageAdded($conversationId: ID!) {
    messageAdded(conversationId: $conversationId) {
      ...FeedMessage
    }
  }
  ${FeedMessage}
`;

export const MessageUpdatedDocument: TypedDocumentNode<
  MessageUpdatedSubscription,
  MessageUpdatedSubscriptionVariables
> = gql`
  subscription MessageUpdated($conversationId: ID!) {
    messageUpdated(conversationId: $conversationId) {
      ...FeedMessage
    }
  }
  ${FeedMessage}
`;

/** The catch-up after a (re)connect: seq > afterSeq, ascending, at most `first`. */
export const MessagesSinceDocument: TypedDocumentNode<MessagesSinceQuery, MessagesSinceQueryVariables> = gql`
  query MessagesSince($conversationId: ID!, $afterSeq: Int!, $first: Int!) {
    conversation(id: $conversationId) {
      id
      messagesSince(afterSeq: $afterSeq, first: $first) {
        ...FeedMessage
      }
    }
  }
  ${FeedMessage}
`;
