import type { Logger, MessageEvent, TranslationEvent } from '@parley/common';
import { BatchCancelledError } from '../batching/micro-batcher';
import type { TranslationPublisher } from '../events/translation-publisher';
import type { MemberLanguages } from '../members/member-languages';
import type { TranslationStore, TranslationRow } from '../store/translation-store';
import type { TranslationEngine } from '../translation/translation-engine';

export interface Delivery {
  /** The queue dead-letters this message if this attempt fails too. */
  lastAttempt: boolean;
  /** RabbitMQ delivered it before (a crash or a failed attempt). */
  redelivered: boolean;
}

export interface MessageEventHandlerOptions {
  store: TranslationStore;
  engine: TranslationEngine;
  memberLanguages: MemberLanguages;
  publisher: TranslationPublisher;
  logger: Logger;
}

/**
 * The model failed for some target languages on this attempt (the stored ones stay). Only this
 * error uses up the queue's deliveries; a database, subgraph or network failure is the
 * infrastructure's and is retried until it heals, so an outage never turns into FAILED.
 */
export class TranslationAttemptError extends Error {
  constructor(readonly failures: Array<{ target: string; error: unknown }>) {
    super(
      `translation failed for ${failures.map((f) => f.target).join(', ')}: ${failures
        .map((f) => (f.error instanceof Error ? f.error.message : String(f.error)))
        .join('; ')}`,
    );
    this.name = 'TranslationAttemptError';
  }
}

/** Tags batcher jobs by message and version, so a deletion or an edit can drop what still waits. */
const jobTag = (messageId: string, version: number) => `${messageId}@${version}`;
const tagVersion = (tag: string, messageId: string): number | null =>
  tag.startsWith(`${messageId}@`) ? Number(tag.slice(messageId.length + 1)) : null;

const normalizeLanguage = (code: string) => code.trim().toLowerCase();

type TargetOutcome =
  { kind: 'stored' | 'failed' | 'skipped' } | { kind: 'error'; target: string; model: string; error: unknown };

/**
 * What one message event means for the translations: a new version is translated into every
 * member language except the original, an edit makes the older versions' rows go, a deletion
 * removes every row and drops the message's waiting work. Throws when the attempt should be retried.
 */
export class MessageEventHandler {
  constructor(private readonly options: MessageEventHandlerOptions) {}

  async handle(event: MessageEvent, delivery: Delivery): Promise<void> {
    if (event.kind === 'message.deleted') {
      await this.handleDeletion(event);
      return;
    }
    await this.handleVersion(event, delivery);
  }

  private async handleDeletion(event: MessageEvent): Promise<void> {
    const removed = await this.options.store.recordDeletion(event);
    // After the state says deleted: what is still running now cannot be written any more.
    const dropped = this.options.engine.cancel((tag) => tagVersion(tag, event.messageId) !== null);
    this.options.logger.info({ messageId: event.messageId, removed, dropped }, 'message deleted; translations removed');
  }

  private async handleVersion(event: MessageEvent, delivery: Delivery): Promise<void> {
    const { store, engine, memberLanguages, logger } = this.options;
    const log = logger.child({ messageId: event.messageId, version: event.version, kind: event.kind });
    const state = await store.recordVersion(event);
    if (state.deleted || state.currentVersion > event.version) {
      log.debug({ currentVersion: state.currentVersion, deleted: state.deleted }, 'stale message event; nothing to do');
      return;
    }
    if (event.version > 1) {
      engine.cancel((tag) => {
        const version = tagVersion(tag, event.messageId);
        return version !== null && version < event.version;
      });
    }

    const source = normalizeLanguage(event.originalLanguage);
    const languages = await memberLanguages.languagesOf(event.conversationId, event.senderId);
    const targets = [...new Set(languages.map(normalizeLanguage))].filter((language) => language !== source);
    if (targets.length === 0) {
      log.debug('no member reads another language');
      return;
    }

    const existing = await store.statuses(event.messageId, event.version);
    const row = (target: string): TranslationRow => ({
      messageId: event.messageId,
      conversationId: event.conversationId,
      messageVersion: event.version,
      sourceLanguage: source,
      targetLanguage: target,
    });

    const outcomes = await Promise.all(
      targets.map(async (target): Promise<TargetOutcome> => {
        const stored = existing.get(target);
        if (stored?.status === 'TRANSLATED') {
          // A redelivery after a crash may have stored the row without announcing it.
          if (delivery.redelivered) {
            await this.announce(event, target, { type: 'translation.stored', model: stored.model });
          }
          return { kind: 'stored' };
        }
        const lookup = engine.resolve(source, target);
        if (!lookup.ok) {
          await this.fail(event, row(target), null, lookup.reason, delivery.redelivered);
          return { kind: 'failed' };
        }
        let translated: Awaited<ReturnType<TranslationEngine['translate']>>;
        try {
          translated = await engine.translate(lookup.route, event.content, jobTag(event.messageId, event.version));
        } catch (error) {
          if (error instanceof BatchCancelledError) return { kind: 'skipped' };
          // The model failed on this text: the one failure a retry may not cure, so it counts.
          return { kind: 'error', target, model: lookup.route.name, error };
        }
        {
          // Storage errors are not caught here: they are the infrastructure's, retried without limit.
          const written = await store.storeTranslated(row(target), {
            content: translated.text,
            model: translated.model,
            fromCache: translated.fromCache,
          });
          if (written) {
            await this.announce(event, target, { type: 'translation.stored', model: translated.model });
            return { kind: 'stored' };
          }
          return { kind: 'skipped' };
        }
      }),
    );

    const errors = outcomes.filter((outcome) => outcome.kind === 'error');
    const count = (kind: TargetOutcome['kind']) => outcomes.filter((outcome) => outcome.kind === kind).length;
    log.debug(
      { targets, stored: count('stored'), failed: count('failed'), skipped: count('skipped'), errors: errors.length },
      'message event translated',
    );
    if (errors.length === 0) return;

    if (delivery.lastAttempt) {
      // The queue is about to dead-letter the event: readers should see FAILED rather than PENDING forever.
      for (const failure of errors) {
        const reason = `gave up after the last allowed delivery: ${
          failure.error instanceof Error ? failure.error.message : String(failure.error)
        }`;
        await this.fail(event, row(failure.target), failure.model, reason, true);
      }
    }
    throw new TranslationAttemptError(errors.map(({ target, error }) => ({ target, error })));
  }

  private async fail(
    event: MessageEvent,
    row: TranslationRow,
    model: string | null,
    reason: string,
    announceAgain: boolean,
  ): Promise<void> {
    const written = await this.options.store.storeFailed(row, { model, reason });
    if (written) {
      this.options.logger.warn(
        { messageId: event.messageId, version: event.version, targetLanguage: row.targetLanguage, model, reason },
        'translation failed',
      );
    }
    if (written || announceAgain) {
      await this.announce(event, row.targetLanguage, { type: 'translation.failed', model, reason });
    }
  }

  private async announce(
    event: MessageEvent,
    targetLanguage: string,
    outcome: { type: TranslationEvent['type']; model: string | null; reason?: string },
  ): Promise<void> {
    await this.options.publisher.publish({
      type: outcome.type,
      messageId: event.messageId,
      conversationId: event.conversationId,
      seq: event.seq,
      messageVersion: event.version,
      sourceLanguage: normalizeLanguage(event.originalLanguage),
      targetLanguage,
      translationModel: outcome.model,
      reason: outcome.reason ?? null,
      occurredAt: new Date().toISOString(),
    });
  }
}
