import { z } from 'zod';
import { BadUserInputError } from '../errors/errors';
import { conversationEventSchema, type ConversationEvent } from './conversation-event';

/**
 * What the router adds, under `extensions.parley`, to a request it signs for a subgraph. The
 * signature covers the body, so a subgraph trusts these as it trusts the identity headers; a
 * client can never set them (the router never forwards client extensions).
 */
export const ROUTER_EXTENSIONS_KEY = 'parley';

export const viewerLanguageSchema = z.object({
  preferredLanguage: z.string(),
  autoTranslateEnabled: z.boolean(),
});
export type ViewerLanguage = z.infer<typeof viewerLanguageSchema>;

export const routerExtensionsSchema = z.object({
  /**
   * Set when the router executes a subscription field. `authorize`: no event yet; the field checks
   * that the caller may subscribe (FORBIDDEN otherwise) and returns a stub (the router selects only
   * `__typename`). `event`: resolve the field for this event.
   */
  subscription: z
    .discriminatedUnion('phase', [
      z.object({ phase: z.literal('authorize') }),
      z.object({ phase: z.literal('event'), event: conversationEventSchema }),
    ])
    .optional(),
  /**
   * The language settings the router resolved this request for. It groups subscribers by them
   * and waits for translations by them, so `Message.text` must use exactly these, not a fresh
   * read that may have changed meanwhile.
   */
  viewerLanguage: viewerLanguageSchema.optional(),
});
export type RouterExtensions = z.infer<typeof routerExtensionsSchema>;

/** Reads the router's extensions from a parsed, signature-checked request body; {} when absent or invalid. */
export function readRouterExtensions(body: unknown): RouterExtensions {
  const raw = (body as { extensions?: Record<string, unknown> } | null)?.extensions?.[ROUTER_EXTENSIONS_KEY];
  if (raw === undefined) return {};
  const parsed = routerExtensionsSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** The stub a subscription field returns in the authorize phase; the router selects only `__typename`. */
export const SUBSCRIPTION_AUTHORIZED = Object.freeze({});

export type SubscriptionStep<E> = { phase: 'authorize' } | { phase: 'event'; event: E };

/**
 * For a subgraph's subscription resolver: which step the router asks for, with the event narrowed
 * to the kinds the field accepts. Outside the router's subscription execution (a client cannot get
 * here: subgraphs serve only signed requests) it fails clearly.
 */
export function subscriptionStep<E extends ConversationEvent>(
  extensions: RouterExtensions,
  accepts: (event: ConversationEvent) => event is E,
): SubscriptionStep<E> {
  const step = extensions.subscription;
  if (!step) throw new BadUserInputError('Subscriptions are served by the router over WebSocket');
  if (step.phase === 'authorize') return step;
  if (!accepts(step.event)) throw new BadUserInputError(`Event ${step.event.type} does not belong to this field`);
  return { phase: 'event', event: step.event };
}
