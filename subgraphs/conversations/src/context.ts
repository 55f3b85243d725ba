import type { EntityManager } from '@mikro-orm/postgresql';
import {
  UnauthenticatedError,
  type RateLimiter,
  type RealtimePublisher,
  type RouterExtensions,
  type SignedIdentity,
} from '@parley/common';
import type DataLoader from 'dataloader';
import type { ConversationsConfig } from './config';
import type { ConversationEntity } from './conversations/conversation.entity';
import type { MembershipEntity } from './conversations/membership.entity';
import type { UsersDirectory } from './users/users-directory';

export interface ConversationsContext {
  identity: SignedIdentity;
  /** What the router signed into the request: the subscription step of a subscription field. */
  router: RouterExtensions;
  em: EntityManager;
  loaders: {
    conversationById: DataLoader<string, ConversationEntity | null>;
    membersByConversationId: DataLoader<string, MembershipEntity[]>;
    memberIdsByConversationId: DataLoader<string, string[]>;
    /** The caller's membership per conversation: what access checks read. */
    viewerMembership: DataLoader<string, MembershipEntity | null>;
  };
  users: UsersDirectory;
  /** Announces committed changes (membership, read, typing) to the routers' subscription layer. */
  publisher: RealtimePublisher;
  /** setTyping calls per user and conversation. */
  typingLimiter: RateLimiter;
  config: ConversationsConfig;
}

export function requireUserId(ctx: ConversationsContext): string {
  if (!ctx.identity.userId) throw new UnauthenticatedError();
  return ctx.identity.userId;
}
