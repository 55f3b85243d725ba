/**
 * Puts one conversation's new-message events back in `seq` order. Services publish after commit,
 * and two replicas (or two sends racing to publish) can invert neighbours; pub/sub can also lose
 * one. An event that leaves a gap waits up to `windowMs` for the missing seq, then everything
 * held goes out in order: a lost event costs one window of delay, never a stall. The first event
 * of a feed waits one window too, since nothing tells yet which seq comes first.
 */
export class SeqReorderBuffer<E extends { seq: number }> {
  private next: number | undefined;
  private readonly held = new Map<number, E>();
  private timer: NodeJS.Timeout | undefined;
  private readonly recent = new Set<number>();

  constructor(
    private readonly windowMs: number,
    private readonly emit: (event: E) => void,
  ) {}

  push(event: E): void {
    if (this.recent.has(event.seq) || this.held.has(event.seq)) return;
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
    if (this.recent.size > 1000) this.recent.delete(this.recent.values().next().value!);
    this.emit(event);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
