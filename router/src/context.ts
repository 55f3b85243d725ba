import type { RouterExtensions } from '@parley/common';
import type { EventFetches } from './subscriptions/event-fetches';

/** What the router knows about a request; forwarded to subgraphs in signed headers. */
export interface RouterContext {
  /** '' for an anonymous caller. */
  userId: string;
  clientIp: string;
  /** Why a caller who sent a token is anonymous ('Invalid token', 'Token expired'), for the refusal. */
  tokenProblem?: string;
  /**
   * Set only by the router's own subscription executions: the event (or the authorize step) and
   * the language settings to resolve with. Sent in the signed body, never taken from a client.
   */
  parley?: RouterExtensions;
  /** Set only by subscription event executions: fetches shared by the event's groups (event-fetches.ts). */
  eventFetches?: EventFetches;
}
