/**
 * Puts one conversation's new-message events back in `seq` order. Services publish after commit,
 * and two replicas (or two sends racing to publish) can invert neighbours; pub/sub can also lose
 * one. An event that leaves a gap waits up to `windowMs` for the missing seq, then everything
 * held goes out in order: a lost event costs one window of delay, never a stall. Until `start`
 * says which seq comes next (the conversation's last seq when the feed began), the first event
 * waits one window too. Events older than the start are dropped: they committed before the feed's
 * first subscriber was live, and its catch-up query (`messagesSince`) returns them.
 */
export class SeqReorderBuffer<E extends { seq: number }> {
  private next: number | undefined;
  private startSeq: number | undefined;
  /** Every seq below it went out or was given up on, longer ago than `recent` remembers. */
  private forgottenBelow = 0;
  private readonly held = new Map<number, E>();
  private timer: NodeJS.Timeout | undefined;
  private readonly recent = new Set<number>();

  constructor(
    private readonly windowMs: number,
    private readonly emit: (event: E) => void,
  ) {}

  push(event: E): void {
    if (this.recent.has(event.seq) || this.held.has(event.seq)) return;
    if (this.startSeq !== undefined && event.seq < this.startSeq) return;
    if (this.next !== undefined && event.seq < this.next) {
      // Older than what went out already: late rather than lost.
      this.deliver(event);
      return;
    }
    if (event.seq === this.next) {
      this.deliver(event);
      this.next += 1;
      this.drainContiguous();
      if (this.held.size === 0) this.clearTimer();
      return;
    }
    this.held.set(event.seq, event);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /**
   * The seq expected next, when learnt before the first event went out: what is held and in order
   * goes now, and anything older is dropped (see above).
   */
  start(next: number): void {
    if (this.next !== undefined) return;
    this.next = next;
    this.startSeq = next;
    for (const seq of [...this.held.keys()]) if (seq < next) this.held.delete(seq);
    this.drainContiguous();
    if (this.held.size === 0) this.clearTimer();
  }

  /**
   * Whether `seq`'s event is behind this feed: it went out, it came before the feed began, or it is
   * older than anything still remembered. False while it may yet come (held, or not arrived).
   */
  passed(seq: number): boolean {
    if (this.recent.has(seq)) return true;
    if (this.startSeq !== undefined && seq < this.startSeq) return true;
    return seq < this.forgottenBelow;
  }

  dispose(): void {
    this.clearTimer();
    this.held.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const seqs = [...this.held.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      this.deliver(this.held.get(seq)!);
      this.next = seq + 1;
    }
    this.held.clear();
  }

  private drainContiguous(): void {
    for (let event = this.held.get(this.next!); event; event = this.held.get(this.next!)) {
      this.held.delete(event.seq);
      this.deliver(event);
      this.next! += 1;
    }
  }

  private deliver(event: E): void {
    this.recent.add(event.seq);
    if (this.recent.size > 1000) {
      const forgotten = this.recent.values().next().value!;
      this.recent.delete(forgotten);
      this.forgottenBelow = Math.max(this.forgottenBelow, forgotten + 1);
    }
    this.emit(event);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
