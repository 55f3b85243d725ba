import type { EntityManager } from '@mikro-orm/postgresql';
import type { RateLimiter, RealtimePublisher, RouterExtensions, SignedIdentity } from '@parley/common';
import { UnauthenticatedError } from '@parley/common';
import type DataLoader from 'dataloader';
import type { UsersConfig } from './config';
import type { UserEntity } from './users/user.entity';

export interface UsersContext {
  identity: SignedIdentity;
  /** What the router signed into the request (subscription step, viewer language). */
  router: RouterExtensions;
  /** A fork per request: its identity map never leaks between requests. */
  em: EntityManager;
  loaders: { userById: DataLoader<string, UserEntity | null> };
  config: UsersConfig;
  rateLimiter: RateLimiter;
  /** Announces committed preference changes to the routers' subscription layer. */
  publisher: RealtimePublisher;
}

export function requireUserId(ctx: UsersContext): string {
  if (!ctx.identity.userId) throw new UnauthenticatedError();
  return ctx.identity.userId;
}
