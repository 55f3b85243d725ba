import { translationEventChannel, type Logger, type TranslationEvent } from '@parley/common';
import type { Redis } from 'ioredis';

/**
 * Announces stored (or failed) translations on the conversation's Redis channel. The row is the
 * source of truth and readers fall back to it, so a Redis outage is logged and otherwise ignored.
 */
export class TranslationPublisher {
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async publish(event: TranslationEvent): Promise<void> {
    try {
      await this.redis.publish(translationEventChannel(event.conversationId), JSON.stringify(event));
      if (this.failing) this.logger.info('publishing translation events again');
      this.failing = false;
    } catch (error) {
      // Once per outage at warn; every skipped event at debug.
      const context = {
        err: error,
        messageId: event.messageId,
        targetLanguage: event.targetLanguage,
        type: event.type,
      };
      if (this.failing) this.logger.debug(context, 'translation event not published');
      else this.logger.warn(context, 'cannot publish translation events; the stored rows stand');
      this.failing = true;
    }
  }
}
