import type { Logger, MessageEvent } from '@parley/common';
import type { TranslationClaims } from '../events/translation-claims';
import type { MemberLanguages } from '../members/member-languages';
import type { TranslationStore } from '../store/translation-store';
import type { TranslationEngine } from '../translation/translation-engine';
import type { Delivery } from './queue-consumer';
import { normalizeLanguage, tagVersion, type VersionTranslator } from './version-translator';

export { TranslationAttemptError } from './attempt-errors';
export type { Delivery } from './queue-consumer';

export interface MessageEventHandlerOptions {
  store: TranslationStore;
  engine: TranslationEngine;
  memberLanguages: MemberLanguages;
  translator: VersionTranslator;
  claims: TranslationClaims;
  logger: Logger;
}

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
    // Readers who see PENDING for these languages meanwhile need not queue a request: this is it.
    await this.options.claims.hold(event.messageId, event.version, targets);
    await this.options.translator.translate(event, targets, delivery);
  }
}
