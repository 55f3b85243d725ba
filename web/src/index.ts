export { backoff, createParleyClient, toWebSocketUrl } from './client/create-parley-client';
export type { ParleyClient, ParleyClientOptions, TokenSource } from './client/create-parley-client';
export { followConversation } from './client/conversation-feed';
export type { ConversationFeed, FeedMessage, FollowOptions } from './client/conversation-feed';
export { SeqMerger } from './client/seq-merger';
export type { MessageSource, SeqMergerSinks } from './client/seq-merger';
export {
  FeedMessage as FeedMessageFragmentDocument,
  MessageAddedDocument,
  MessagesSinceDocument,
  MessageUpdatedDocument,
} from './client/documents';
