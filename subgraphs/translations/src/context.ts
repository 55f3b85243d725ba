import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError, type RateLimiter, type RouterExtensions, type SignedIdentity } from '@parley/common';
import type { TranslationsConfig } from './config';
import type { ViewerPreferences } from './messages/localize';
import type { TranslationsLoader } from './messages/translations.loader';
import type { TranslationRequester } from './requests/translation-requester';
import type { TranslatorClient } from './translate/translator-client';

export interface TranslationsContext {
  identity: SignedIdentity;
  /** What the router signed into the request; `viewerLanguage` when it resolves a subscription event. */
  router: RouterExtensions;
  /** A fork per request: its identity map never leaks between requests. */
  em: EntityManager;
  loaders: { translationsByVersion: TranslationsLoader };
  /**
   * The viewer's language preferences: the router's `viewerLanguage` when it sent one, else asked of
   * the users subgraph on first use, at most once per request.
   */
  viewer: () => Promise<ViewerPreferences>;
  translator: TranslatorClient;
  /** Queues the translation of a variant a read found PENDING (never waits, never throws). */
  translationRequests: TranslationRequester;
  rateLimiter: RateLimiter;
  config: TranslationsConfig;
}

export function requireUserId(ctx: TranslationsContext): string {
  if (!ctx.identity.userId) throw new UnauthenticatedError();
  return ctx.identity.userId;
}

/** A function that runs `load` on its first call and hands every later call the same promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}
