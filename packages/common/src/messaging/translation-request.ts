import { z } from 'zod';

/**
 * A job the translations subgraph publishes (routing key `translation.requested`) when a reader
 * asks for a variant that is neither stored nor under way, e.g. a language no member read when the
 * message was sent. The translator consumes it through the same batching path as message events
 * and checks that the message is still at `version` and not deleted before it writes anything.
 *
 * The text travels with the job: it is the content the messages subgraph just served for this
 * version (`@requires`), and the translator keeps no copy of message texts.
 */
export const translationRequestSchema = z.object({
  /** Unique per job, for the logs. */
  requestId: z.string().min(1),
  messageId: z.uuid(),
  version: z.number().int().positive(),
  targetLanguages: z.array(z.string().min(2).max(8)).min(1).max(32),
  content: z.string(),
  originalLanguage: z.string().min(2).max(8),
  /** ISO-8601. */
  requestedAt: z.string(),
});

export type TranslationRequest = z.infer<typeof translationRequestSchema>;

/**
 * Redis key that says "a job for this (message, version, language) is queued or running": the
 * translations subgraph takes it with SET NX before publishing a request (one job however many
 * readers ask), and the translator takes it for the member languages it translates anyway.
 */
export const translationClaimKey = (messageId: string, version: number, language: string): string =>
  `parley:translation-claim:${messageId}:${version}:${language}`;
