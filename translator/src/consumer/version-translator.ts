import type { Logger, TranslationEvent } from '@parley/common';
import { BatchCancelledError } from '../batching/micro-batcher';
import type { TranslationPublisher } from '../events/translation-publisher';
import type { TranslationRow, TranslationStore } from '../store/translation-store';
import type { TranslationEngine } from '../translation/translation-engine';
import { TranslationAttemptError } from './attempt-errors';
import type { Delivery } from './queue-consumer';

/** One version of one message, as much as translating it and announcing the result needs. */
export interface MessageVersion {
  messageId: string;
  conversationId: string;
  seq: number;
  version: number;
  content: string;
  originalLanguage: string;
}

export interface VersionTranslatorOptions {
  store: TranslationStore;
  engine: TranslationEngine;
  publisher: TranslationPublisher;
  logger: Logger;
}

/** Tags batcher jobs by message and version, so a deletion or an edit can drop what still waits. */
export const jobTag = (messageId: string, version: number) => `${messageId}@${version}`;
export const tagVersion = (tag: string, messageId: string): number | null =>
  tag.startsWith(`${messageId}@`) ? Number(tag.slice(messageId.length + 1)) : null;

export const normalizeLanguage = (code: string) => code.trim().toLowerCase();

type TargetOutcome =
  { kind: 'stored' | 'failed' | 'skipped' } | { kind: 'error'; target: string; model: string; error: unknown };

/**
 * Translates one message version into some target languages, whoever asked (a message event for
 * the member languages, or an on-demand request): targets already TRANSLATED are skipped, a pair
 * no model serves gets a FAILED row with its reason, the others go through the micro-batcher and
 * are written by the store's version-guarded upsert, and each written row is announced on Redis.
 * Throws TranslationAttemptError when the model failed for some targets (after writing FAILED rows
 * for them on the last delivery).
 */
export class VersionTranslator {
  constructor(private readonly options: VersionTranslatorOptions) {}

  async translate(message: MessageVersion, targets: readonly string[], delivery: Delivery): Promise<void> {
    const { store, engine, logger } = this.options;
    const source = normalizeLanguage(message.originalLanguage);
    const existing = await store.statuses(message.messageId, message.version);
    const row = (target: string): TranslationRow => ({
      messageId: message.messageId,
      conversationId: message.conversationId,
      messageVersion: message.version,
      sourceLanguage: source,
      targetLanguage: target,
    });

    const outcomes = await Promise.all(
      targets.map(async (target): Promise<TargetOutcome> => {
        const stored = existing.get(target);
        if (stored?.status === 'TRANSLATED') {
          // A redelivery after a crash may have stored the row without announcing it.
          if (delivery.redelivered) {
            await this.announce(message, target, { type: 'translation.stored', model: stored.model });
          }
          return { kind: 'stored' };
        }
        const lookup = engine.resolve(source, target);
        if (!lookup.ok) {
          await this.fail(message, row(target), null, lookup.reason, delivery.redelivered);
          return { kind: 'failed' };
        }
        let translated: Awaited<ReturnType<TranslationEngine['translate']>>;
        try {
          translated = await engine.translate(
            lookup.route,
            message.content,
            jobTag(message.messageId, message.version),
          );
        } catch (error) {
          if (error instanceof BatchCancelledError) return { kind: 'skipped' };
          // The model failed on this text: the one failure a retry may not cure, so it counts.
          return { kind: 'error', target, model: lookup.route.name, error };
        }
        // Storage errors are not caught here: they are the infrastructure's, retried without limit.
        const written = await store.storeTranslated(row(target), {
          content: translated.text,
          model: translated.model,
          fromCache: translated.fromCache,
        });
        if (!written) return { kind: 'skipped' };
        await this.announce(message, target, { type: 'translation.stored', model: translated.model });
        return { kind: 'stored' };
      }),
    );

    const errors = outcomes.filter((outcome) => outcome.kind === 'error');
    const count = (kind: TargetOutcome['kind']) => outcomes.filter((outcome) => outcome.kind === kind).length;
    logger.debug(
      {
        messageId: message.messageId,
        version: message.version,
        targets,
        stored: count('stored'),
        failed: count('failed'),
        skipped: count('skipped'),
        errors: errors.length,
      },
      'message version translated',
    );
    if (errors.length === 0) return;

    if (delivery.lastAttempt) {
      // The queue is about to dead-letter the body: readers should see FAILED rather than PENDING forever.
      for (const failure of errors) {
        const reason = `gave up after the last allowed delivery: ${
          failure.error instanceof Error ? failure.error.message : String(failure.error)
        }`;
        await this.fail(message, row(failure.target), failure.model, reason, true);
      }
    }
    throw new TranslationAttemptError(errors.map(({ target, error }) => ({ target, error })));
  }

  private async fail(
    message: MessageVersion,
    row: TranslationRow,
    model: string | null,
    reason: string,
    announceAgain: boolean,
  ): Promise<void> {
    const written = await this.options.store.storeFailed(row, { model, reason });
    if (written) {
      this.options.logger.warn(
        { messageId: message.messageId, version: message.version, targetLanguage: row.targetLanguage, model, reason },
        'translation failed',
      );
    }
    if (written || announceAgain) {
      await this.announce(message, row.targetLanguage, { type: 'translation.failed', model, reason });
    }
  }

  private async announce(
    message: MessageVersion,
    targetLanguage: string,
    outcome: { type: TranslationEvent['type']; model: string | null; reason?: string },
  ): Promise<void> {
    await this.options.publisher.publish({
      type: outcome.type,
      messageId: message.messageId,
      conversationId: message.conversationId,
      seq: message.seq,
      messageVersion: message.version,
      sourceLanguage: normalizeLanguage(message.originalLanguage),
      targetLanguage,
      translationModel: outcome.model,
      reason: outcome.reason ?? null,
      occurredAt: new Date().toISOString(),
    });
  }
}
