import { randomUUID } from 'node:crypto';
import type { Logger, TranslationRequest } from '@parley/common';
import type { MessageSnapshot } from '../messages/localize';
import type { RequestClaims } from './request-claims';
import type { TranslationRequestPublisher } from './translation-request-publisher';

/** What a read knows of the message whose variant is PENDING. */
export type PendingMessage = Pick<MessageSnapshot, 'content' | 'originalLanguage' | 'version'> & { id: string };

/** Requests being claimed or published at once; beyond this a read queues nothing (a later one will). */
const MAX_IN_FLIGHT = 1_000;

interface Batch {
  message: PendingMessage;
  /** Language → the reader who asked for it first (charged for it). */
  languages: Map<string, string>;
}

/** Whether `userId` may have one more on-demand translation queued now (a per-user rate limit). */
export type RequestBudget = (userId: string) => Promise<boolean>;

/**
 * Queues the translation of a variant that a read found PENDING, without making the read wait:
 * `request` returns at once and never throws. The languages asked for one message version within
 * the same tick (a page of messages, aliases) go into one job; each language is first claimed
 * (RequestClaims), so however many readers and replicas ask, one job per (message, version,
 * language) is queued while the claim lives. A job that cannot be queued (RabbitMQ down) gives its
 * claims back, so the next read asks again. Each language a reader gets queued is charged to that
 * reader's budget: paging through a whole history in every language is not free inference for
 * anyone; past the budget the variant stays PENDING until a later read asks again.
 */
export class TranslationRequester {
  private pending = new Map<string, Batch>();
  private flushScheduled = false;
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly claims: RequestClaims,
    private readonly publisher: TranslationRequestPublisher,
    private readonly logger: Logger,
    private readonly budget: RequestBudget = async () => true,
  ) {}

  request(message: PendingMessage, language: string, userId: string): void {
    const key = `${message.id}@${message.version}`;
    const batch = this.pending.get(key) ?? { message, languages: new Map<string, string>() };
    if (!batch.languages.has(language)) batch.languages.set(language, userId);
    this.pending.set(key, batch);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Waits for the jobs being queued (tests, and a stop that should not cut them off). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.flushScheduled) {
      await Promise.all([...this.running, new Promise((resolve) => setImmediate(resolve))]);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = [...this.pending.values()];
    this.pending = new Map();
    for (const batch of batches) {
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.logger.debug({ messageId: batch.message.id }, 'too many translation requests in flight; skipped');
        continue;
      }
      this.inFlight += 1;
      const job = this.queue(batch)
        .catch((error: unknown) => this.logger.warn({ err: error, messageId: batch.message.id }, 'request failed'))
        .finally(() => {
          this.inFlight -= 1;
          this.running.delete(job);
        });
      this.running.add(job);
    }
  }

  private async queue({ message, languages }: Batch): Promise<void> {
    // Skip the claims when the broker is known to be away: nothing could be queued anyway.
    if (!this.publisher.available()) return;
    const keys = [...languages.keys()].map((language) => ({
      messageId: message.id,
      version: message.version,
      language,
    }));
    const claimed = (await Promise.all(keys.map(async (key) => ((await this.claims.claim(key)) ? key : null)))).filter(
      (key) => key !== null,
    );
    const won: typeof claimed = [];
    for (const key of claimed) {
      if (await this.budget(languages.get(key.language)!)) won.push(key);
      else await this.claims.release(key);
    }
    if (won.length === 0) return;
    const job = this.job(
      message,
      won.map((key) => key.language),
    );
    if (await this.publisher.send(job)) {
      this.logger.debug(
        { requestId: job.requestId, messageId: message.id, version: message.version, languages: job.targetLanguages },
        'translation requested',
      );
      return;
    }
    await Promise.all(won.map((key) => this.claims.release(key)));
  }

  private job(message: PendingMessage, targetLanguages: string[]): TranslationRequest {
    return {
      requestId: randomUUID(),
      messageId: message.id,
      version: message.version,
      targetLanguages,
      content: message.content,
      originalLanguage: message.originalLanguage,
      requestedAt: new Date().toISOString(),
    };
  }
}
