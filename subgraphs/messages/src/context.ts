import type { EntityManager } from '@mikro-orm/postgresql';
import {
  UnauthenticatedError,
  type Logger,
  type RealtimePublisher,
  type RouterExtensions,
  type SignedIdentity,
} from '@parley/common';
import type DataLoader from 'dataloader';
import type { MessagesConfig } from './config';
import type { LatestMessagesKey } from './messages/latest-messages.loader';
import type { MessageEntity } from './messages/message.entity';
import type { MessagesSinceKey } from './messages/messages-since.loader';
import type { LocalOutboxRelay } from './outbox/local-outbox-relay';
import type { UsersDirectory } from './users/users-directory';

export interface MessagesLoaders {
  /** Current member ids, null for a conversation the conversations subgraph does not know. */
  membersByConversationId: DataLoader<string, string[] | null>;
  /** The same, past the membership cache (see access.ts). */
  freshMembersByConversationId: DataLoader<string, string[] | null>;
  messageById: DataLoader<string, MessageEntity | null>;
  lastSeqByConversationId: DataLoader<string, number>;
  latestMessages: DataLoader<LatestMessagesKey, MessageEntity[], string>;
  messagesSince: DataLoader<MessagesSinceKey, MessageEntity[], string>;
}

export interface MessagesContext {
  identity: SignedIdentity;
  /** What the router signed into the request: the subscription step of a subscription field. */
  router: RouterExtensions;
  em: EntityManager;
  loaders: MessagesLoaders;
  users: UsersDirectory;
  /** This process's outbox relay, told of the sends it commits (see insertMessage). */
  outboxRelay: LocalOutboxRelay;
  /** Announces committed sends, edits and deletions to the routers' subscription layer. */
  publisher: RealtimePublisher;
  config: MessagesConfig;
  logger: Logger;
}

export function requireUserId(ctx: MessagesContext): string {
  if (!ctx.identity.userId) throw new UnauthenticatedError();
  return ctx.identity.userId;
}
