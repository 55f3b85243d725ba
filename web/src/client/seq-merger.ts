/** Where a message handed to the caller came from. */
export type MessageSource = 'live' | 'catch-up';

export interface SeqMergerSinks<T> {
  /** Called once per seq, in ascending seq order. */
  message(message: T, source: MessageSource): void;
  /** Called for updates (edits, deletions, late translations), only for seqs already handed out. */
  update?(message: T): void;
}

/**
 * Merges a conversation's live `messageAdded` events with `messagesSince` catch-up pages so that
 * the caller sees every seq exactly once, in ascending order. Pure and synchronous: the feed
 * drives it (subscription events, catch-up rounds); the unit tests drive it directly.
 *
 * - `lastSeq` only moves forward: by one for the next contiguous live event, or to the end of a
 *   catch-up page (the server's answer is authoritative for the range it covers).
 * - A live event at or below `lastSeq` is a duplicate and is dropped.
 * - A live event that arrives while a catch-up runs, or beyond a gap, waits in a buffer; a gap
 *   asks the feed for a catch-up (`live` returns true).
 * - An update for a seq not handed out yet is held and handed out right after that message, so
 *   the caller never sees an update before its message.
 */
export class SeqMerger<T extends { seq: number }> {
  private last: number;
  private readonly buffer = new Map<number, T>();
  private readonly heldUpdates = new Map<number, T[]>();
  private catchingUp = false;
  /** Highest buffered seq when the running catch-up started: that catch-up covers it. */
  private coveredByCatchUp = 0;

  constructor(
    afterSeq: number,
    private readonly sinks: SeqMergerSinks<T>,
  ) {
    this.last = afterSeq;
  }

  /** The highest seq handed out (or the starting point): what the next catch-up asks after. */
  get lastSeq(): number {
    return this.last;
  }

  /** Seqs received live but not handed out yet (waiting for a catch-up to fill a gap). */
  get buffered(): number[] {
    return [...this.buffer.keys()].sort((a, b) => a - b);
  }

  get isCatchingUp(): boolean {
    return this.catchingUp;
  }

  /** A live `messageAdded` event. Returns true when it reveals a gap that needs a catch-up. */
  live(message: T): boolean {
    if (message.seq <= this.last) return false;
    this.buffer.set(message.seq, message);
    if (this.catchingUp) return false;
    this.flushContiguous();
    return this.buffer.size > 0;
  }

  /** A live `messageUpdated` event. */
  update(message: T): void {
    if (message.seq <= this.last) {
      this.sinks.update?.(message);
      return;
    }
    const held = this.heldUpdates.get(message.seq) ?? [];
    held.push(message);
    this.heldUpdates.set(message.seq, held);
  }

  /** Starts a catch-up round; returns the seq to ask `messagesSince` after. */
  beginCatchUp(): number {
    this.catchingUp = true;
    this.coveredByCatchUp = Math.max(0, ...this.buffer.keys());
    return this.last;
  }

  /** One `messagesSince` page (ascending seqs after the `lastSeq` it was asked with). */
  catchUpPage(messages: readonly T[]): void {
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (message.seq <= this.last) continue;
      // A buffered live event below this page's seq (which a gapless server never leaves out)
      // still goes first: nothing is lost and the order holds.
      for (const seq of this.buffered) {
        if (seq >= message.seq) break;
        this.handOut(this.buffer.get(seq)!, 'live');
      }
      this.buffer.delete(message.seq);
      this.handOut(message, 'catch-up');
    }
  }

  /**
   * Ends a complete catch-up round (the last page was short). Live events buffered before the round
   * began lie in the range it covered and go out now even past a gap; later ones go out while they
   * are contiguous. Returns true when a gap remains, so another round is needed.
   */
  endCatchUp(): boolean {
    this.catchingUp = false;
    for (const seq of this.buffered) {
      if (seq > this.coveredByCatchUp) break;
      this.handOut(this.buffer.get(seq)!, 'live');
    }
    this.coveredByCatchUp = 0;
    this.flushContiguous();
    return this.buffer.size > 0;
  }

  /** Ends a round that failed part-way: what it delivered stays delivered, nothing is forced. */
  abortCatchUp(): void {
    this.catchingUp = false;
    this.coveredByCatchUp = 0;
    this.flushContiguous();
  }

  private flushContiguous(): void {
    for (let next = this.buffer.get(this.last + 1); next; next = this.buffer.get(this.last + 1)) {
      this.handOut(next, 'live');
    }
    // Anything left at or below lastSeq was handed out by another path.
    for (const seq of this.buffer.keys()) if (seq <= this.last) this.buffer.delete(seq);
  }

  private handOut(message: T, source: MessageSource): void {
    this.buffer.delete(message.seq);
    this.last = message.seq;
    this.sinks.message(message, source);
    const held = this.heldUpdates.get(message.seq);
    if (held) {
      this.heldUpdates.delete(message.seq);
      for (const update of held) this.sinks.update?.(update);
    }
    // Updates held for seqs skipped over (never handed out) are dropped with them.
    for (const seq of this.heldUpdates.keys()) if (seq < message.seq) this.heldUpdates.delete(seq);
  }
}
