import { z } from 'zod';

/**
 * The translator's internal HTTP API, used by the translations subgraph for `Query.translate`, so
 * on-demand translations go through the same micro-batcher, models and cache as message
 * translations. Requests are signed with `signRequest` (the caller's identity) like the router's.
 *
 *   POST /translate  TranslateRequest
 *     200 TranslateResponse
 *     400 TranslateError { code: 'BAD_REQUEST' }      malformed body, unsupported language
 *     401                                             unsigned or badly signed
 *     422 TranslateError { code: 'NO_MODEL' | 'UNDETECTABLE' }
 *     503 TranslateError { code: 'UNAVAILABLE' }      not ready, or inference failed
 */
export const TRANSLATE_PATH = '/translate';

export const translateRequestSchema = z.object({
  text: z.string(),
  targetLanguage: z.string(),
  /** Detected from the text when absent. */
  sourceLanguage: z.string().optional(),
});
export type TranslateRequest = z.infer<typeof translateRequestSchema>;

export const translateResponseSchema = z.object({
  sourceLanguage: z.string(),
  targetLanguage: z.string(),
  translatedContent: z.string(),
  translationModel: z.string(),
  fromCache: z.boolean(),
});
export type TranslateResponse = z.infer<typeof translateResponseSchema>;

export const TranslateErrorCodes = ['BAD_REQUEST', 'NO_MODEL', 'UNDETECTABLE', 'UNAVAILABLE'] as const;
export const translateErrorSchema = z.object({
  error: z.object({ code: z.enum(TranslateErrorCodes), message: z.string() }),
});
export type TranslateError = z.infer<typeof translateErrorSchema>;
