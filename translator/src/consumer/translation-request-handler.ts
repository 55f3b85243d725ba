import { isSupportedLanguage, type Logger, type TranslationRequest } from '@parley/common';
import type { TranslationClaims } from '../events/translation-claims';
import type { TranslationStore } from '../store/translation-store';
import { MessageNotRecordedError } from './attempt-errors';
import type { Delivery } from './queue-consumer';
import { normalizeLanguage, type VersionTranslator } from './version-translator';

export interface TranslationRequestHandlerOptions {
  store: TranslationStore;
  translator: VersionTranslator;
  claims: TranslationClaims;
  logger: Logger;
}

/**
 * An on-demand request: a reader saw PENDING for a language that no job was queued for (nobody in
 * the conversation read it when the message was sent). The message must still be at the requested
 * version and not deleted, as the translator recorded it from the message events; then the
 * requested languages go through the same path as member languages (VersionTranslator), so a row
 * is written at most once per (message, language, version) and announced on Redis.
 */
export class TranslationRequestHandler {
  constructor(private readonly options: TranslationRequestHandlerOptions) {}

  async handle(request: TranslationRequest, delivery: Delivery): Promise<void> {
    const { store, logger, claims } = this.options;
    const log = logger.child({ requestId: request.requestId, messageId: request.messageId, version: request.version });
    const recorded = await store.recordedMessage(request.messageId);
    if (!recorded || recorded.currentVersion < request.version) {
      // The message event of this version has not been handled yet (it is still in the outbox or
      // the queue): wait a few deliveries for it rather than write next to a state we do not know.
      if (!delivery.lastAttempt) throw new MessageNotRecordedError(request.messageId, request.version);
      log.warn(
        { recordedVersion: recorded?.currentVersion ?? null },
        'translation request for a message version never recorded; dropped (a later read asks again)',
      );
      await claims.release(request.messageId, request.version, request.targetLanguages);
      return;
    }
    if (recorded.deleted || recorded.currentVersion > request.version) {
      // Deleted or edited since the reader saw it: the request is moot (an edit's own event
      // translates the new version for the members, and a reader of it asks again).
      log.debug({ currentVersion: recorded.currentVersion, deleted: recorded.deleted }, 'stale translation request');
      return;
    }

    const source = normalizeLanguage(recorded.originalLanguage);
    const targets = [...new Set(request.targetLanguages.map(normalizeLanguage))].filter(
      (language) => language !== source && isSupportedLanguage(language),
    );
    if (targets.length === 0) return;
    log.debug({ targets }, 'translating on request');
    await this.options.translator.translate(
      {
        messageId: request.messageId,
        conversationId: recorded.conversationId,
        seq: recorded.seq,
        version: request.version,
        content: request.content,
        originalLanguage: recorded.originalLanguage,
      },
      targets,
      delivery,
    );
  }
}
