import { z } from 'zod';

/**
 * What the translator publishes on Redis after it stores (or gives up on) a translation. The
 * subscription layer consumes it to release a waiting `messageAdded` or to send `messageUpdated`.
 *
 * It names the entity and never carries text: every subscriber resolves the message through the
 * federated graph with its own identity, so no translation reaches someone who may not read it.
 */
export const translationEventSchema = z.object({
  type: z.enum(['translation.stored', 'translation.failed']),
  messageId: z.uuid(),
  conversationId: z.uuid(),
  seq: z.number().int().positive(),
  messageVersion: z.number().int().positive(),
  sourceLanguage: z.string(),
  targetLanguage: z.string(),
  /** The model that produced it; null when it failed before a model was chosen. */
  translationModel: z.string().nullable(),
  /** Why it failed (for logs and operators); null when stored. */
  reason: z.string().nullable(),
  /** ISO-8601. */
  occurredAt: z.string(),
});

export type TranslationEvent = z.infer<typeof translationEventSchema>;

/** Redis pub/sub channel of one conversation's translation events. */
export const translationEventChannel = (conversationId: string): string => `parley.translations.${conversationId}`;

/** Pattern matching every conversation's translation channel (for a router that serves many). */
export const TRANSLATION_EVENT_PATTERN = 'parley.translations.*';
