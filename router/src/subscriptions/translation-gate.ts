import type { TranslationEvent } from '@parley/common';

/** `superseded`: the message was deleted while its event waited; its text needs no translation. */
export type GateOutcome = 'stored' | 'failed' | 'deadline' | 'superseded';

interface Entry {
  messageId: string;
  version: number;
  language: string;
  outcome?: 'stored' | 'failed';
  /** A waiter gave up on this translation: when it arrives it is late, and a messageUpdated follows. */
  missedDeadline: boolean;
  /** Somebody waited for it (or it was announced before anyone could). */
  waited: boolean;
  waiters: Set<Waiter>;
  touchedAt: number;
}

/** One held event; `entry` is the translation it waits for now (an edit moves it to the new version's). */
interface Waiter {
  entry: Entry;
  settle(outcome: GateOutcome): void;
}

/** The newest state of a message this gate has heard of. */
interface Latest {
  version: number;
  deleted: boolean;
  touchedAt: number;
}

const key = (messageId: string, version: number, language: string) => `${messageId}:${version}:${language}`;

/**
 * Holds a subscriber's event until its translation is stored, fails, or the deadline passes
 * (contract: TRANSLATION_DEADLINE_MS). Outcomes are remembered for `rememberMs`, so a translation
 * announced before the router saw the message does not make anyone wait, and a duplicate
 * announcement (the translator may redeliver) is recognised.
 *
 * An event resolves the message as it is when it goes out, so once the message is edited, an
 * event still held waits for the new version's translation instead (within its own deadline): the
 * old version's may never come, since the translator drops the work of a version an edit replaced.
 * Once it is deleted, held events go at once.
 */
export class TranslationGate {
  private readonly entries = new Map<string, Entry>();
  /** Entries by message, for `supersede`. */
  private readonly byMessage = new Map<string, Set<Entry>>();
  private readonly latest = new Map<string, Latest>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly deadlineMs: number,
    private readonly rememberMs = 120_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(rememberMs, 30_000));
    this.sweeper.unref();
  }

  wait(messageId: string, version: number, language: string): Promise<GateOutcome> {
    const latest = this.latest.get(messageId);
    if (latest?.deleted) return Promise.resolve('superseded');
    const entry = this.entry(messageId, Math.max(version, latest?.version ?? 0), language);
    entry.waited = true;
    if (entry.outcome) return Promise.resolve(entry.outcome);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiter.entry.waiters.delete(waiter);
        waiter.entry.missedDeadline = true;
        resolve('deadline');
      }, this.deadlineMs);
      const waiter: Waiter = {
        entry,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      entry.waiters.add(waiter);
    });
  }

  /**
   * Records a translation event, the first time it arrives (duplicates are neither). `late`: some
   * subscriber already got the original with PENDING. `unawaited`: nobody on this router waited
   * for it, so it was asked for after the message went out (a member who joined, a reader's
   * `text(language:)`).
   */
  settle(event: TranslationEvent): { late: boolean; unawaited: boolean } {
    const entry = this.entry(event.messageId, event.messageVersion, event.targetLanguage);
    if (entry.outcome) return { late: false, unawaited: false };
    entry.outcome = event.type === 'translation.stored' ? 'stored' : 'failed';
    for (const waiter of entry.waiters) waiter.settle(entry.outcome);
    entry.waiters.clear();
    return { late: entry.missedDeadline, unawaited: !entry.waited };
  }

  /**
   * A newer version of the message (`version`), or its deletion (`null`): events held for an older
   * version now wait for this one's translation, in the order they were held; after a deletion
   * they go at once.
   */
  supersede(messageId: string, version: number | null): void {
    const known = this.latest.get(messageId);
    if (known?.deleted || (version !== null && known && known.version >= version)) return;
    this.latest.set(messageId, {
      version: version ?? known?.version ?? 0,
      deleted: version === null,
      touchedAt: Date.now(),
    });
    for (const entry of [...(this.byMessage.get(messageId) ?? [])]) {
      if (entry.waiters.size === 0 || (version !== null && entry.version >= version)) continue;
      const held = [...entry.waiters];
      entry.waiters.clear();
      for (const waiter of held) {
        if (version === null) {
          waiter.settle('superseded');
          continue;
        }
        const next = this.entry(messageId, version, entry.language);
        next.waited = true;
        if (next.outcome) {
          waiter.settle(next.outcome);
        } else {
          waiter.entry = next;
          next.waiters.add(waiter);
        }
      }
    }
  }

  dispose(): void {
    clearInterval(this.sweeper);
    for (const entry of this.entries.values()) for (const waiter of entry.waiters) waiter.settle('deadline');
    this.entries.clear();
    this.byMessage.clear();
    this.latest.clear();
  }

  private entry(messageId: string, version: number, language: string): Entry {
    const id = key(messageId, version, language);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
        messageId,
        version,
        language,
        missedDeadline: false,
        waited: false,
        waiters: new Set(),
        touchedAt: Date.now(),
      };
      this.entries.set(id, entry);
      let ofMessage = this.byMessage.get(messageId);
      if (!ofMessage) this.byMessage.set(messageId, (ofMessage = new Set()));
      ofMessage.add(entry);
    }
    entry.touchedAt = Date.now();
    return entry;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.rememberMs;
    for (const [id, entry] of this.entries) {
      if (entry.waiters.size > 0 || entry.touchedAt >= cutoff) continue;
      this.entries.delete(id);
      const ofMessage = this.byMessage.get(entry.messageId);
      ofMessage?.delete(entry);
      if (ofMessage?.size === 0) this.byMessage.delete(entry.messageId);
    }
    for (const [messageId, latest] of this.latest) if (latest.touchedAt < cutoff) this.latest.delete(messageId);
  }
}
