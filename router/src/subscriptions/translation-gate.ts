import type { TranslationEvent } from '@parley/common';

export type GateOutcome = 'stored' | 'failed' | 'deadline';

interface Entry {
  outcome?: 'stored' | 'failed';
  /** A waiter gave up on this translation: when it arrives it is late, and a messageUpdated follows. */
  missedDeadline: boolean;
  /** Somebody waited for it (or it was announced before anyone could). */
  waited: boolean;
  waiters: Set<(outcome: GateOutcome) => void>;
  touchedAt: number;
}

const key = (messageId: string, version: number, language: string) => `${messageId}:${version}:${language}`;

/**
 * Holds a subscriber's event until its translation is stored, fails, or the deadline passes
 * (contract: TRANSLATION_DEADLINE_MS). Outcomes are remembered for `rememberMs`, so a translation
 * announced before the router saw the message does not make anyone wait, and a duplicate
 * announcement (the translator may redeliver) is recognised.
 */
export class TranslationGate {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly deadlineMs: number,
    private readonly rememberMs = 120_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(rememberMs, 30_000));
    this.sweeper.unref();
  }

  wait(messageId: string, version: number, language: string): Promise<GateOutcome> {
    const entry = this.entry(key(messageId, version, language));
    entry.waited = true;
    if (entry.outcome) return Promise.resolve(entry.outcome);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        entry.waiters.delete(settle);
        entry.missedDeadline = true;
        resolve('deadline');
      }, this.deadlineMs);
      const settle = (outcome: GateOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      entry.waiters.add(settle);
    });
  }

  /**
   * Records a translation event, the first time it arrives (duplicates are neither). `late`: some
   * subscriber already got the original with PENDING. `unawaited`: nobody on this router waited
   * for it, so it was asked for after the message went out (a member who joined, a reader's
   * `text(language:)`).
   */
  settle(event: TranslationEvent): { late: boolean; unawaited: boolean } {
    const entry = this.entry(key(event.messageId, event.messageVersion, event.targetLanguage));
    if (entry.outcome) return { late: false, unawaited: false };
    entry.outcome = event.type === 'translation.stored' ? 'stored' : 'failed';
    for (const waiter of entry.waiters) waiter(entry.outcome);
    entry.waiters.clear();
    return { late: entry.missedDeadline, unawaited: !entry.waited };
  }

  dispose(): void {
    clearInterval(this.sweeper);
    for (const entry of this.entries.values()) for (const waiter of entry.waiters) waiter('deadline');
    this.entries.clear();
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { missedDeadline: false, waited: false, waiters: new Set(), touchedAt: Date.now() };
      this.entries.set(id, entry);
    }
    entry.touchedAt = Date.now();
    return entry;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.rememberMs;
    for (const [id, entry] of this.entries) {
      if (entry.waiters.size === 0 && entry.touchedAt < cutoff) this.entries.delete(id);
    }
  }
}
