import { LatencyRecorder, type LatencySummary } from '../support/stats';

/**
 * Each message the bench sends carries `[m:<n>]` in its content, so a delivered frame names its
 * message without being parsed: the clients find the marker in the raw bytes, which keeps the
 * receiving side (2,000 sockets in the bench process) as cheap for the router as for the raw server.
 */
export const marker = (n: number) => `[m:${n}]`;
/** Where a payload template has its message's marker (the raw server fills it in per message). */
export const MARKER_SLOT = '[m:#]';

const MARKER_PREFIX = Buffer.from('[m:');
const ERRORS = Buffer.from('"errors"');
const CLOSE_BRACKET = 0x5d;

/** The message number in a frame, or -1 when it has no marker. */
export function markerOf(frame: Buffer): number {
  const at = frame.indexOf(MARKER_PREFIX);
  if (at < 0) return -1;
  let n = 0;
  for (let i = at + MARKER_PREFIX.length; i < frame.length; i++) {
    const byte = frame[i]!;
    if (byte === CLOSE_BRACKET) return n;
    if (byte < 0x30 || byte > 0x39) return -1;
    n = n * 10 + (byte - 0x30);
  }
  return -1;
}

export interface PhaseDeliveries {
  sockets: number;
  /** Messages attempted. */
  messages: number;
  /** Of those, the ones whose sendMessage failed (nothing is expected of them). */
  sendFailures: number;
  /** sockets × messages sent. */
  expected: number;
  delivered: number;
  duplicates: number;
  /** Frames without a marker (errors, completes) or naming a message outside the phase. */
  unexpected: number;
  /** Frames carrying GraphQL errors (an event whose resolution failed arrives as one, without data). */
  errors: number;
  /** A few of the unexpected or erroneous frames, for the report. */
  samples: string[];
  /** Messages sent that did not reach every socket. */
  incompleteMessages: number;
  /** First send (or broadcast) to last delivery. */
  elapsedMs: number;
  deliveriesPerSecond: number;
  /** Send → delivery on the sockets that read the original language. */
  originalLatency: LatencySummary;
  /** Send → delivery on every socket (translated variants: original with PENDING, deadline 0). */
  allLatency: LatencySummary;
}

/**
 * The deliveries of one phase: messages `first … first + count - 1` to every socket. Counts each
 * (socket, message) once, flags duplicates and strays, times send → receipt, and keeps one
 * delivered frame per language (the payloads the raw server then broadcasts).
 */
export class DeliveryTracker {
  private readonly sentAt: Float64Array;
  private readonly seen: Uint8Array;
  private readonly perMessage: Uint32Array;
  private readonly failedSends: Uint8Array;
  private sendFailures = 0;
  private readonly original = new LatencyRecorder();
  private readonly all = new LatencyRecorder();
  private delivered = 0;
  private duplicates = 0;
  private unexpected = 0;
  private errors = 0;
  private failedUnnamed = 0;
  private readonly samples: string[] = [];
  private firstSendAt = Number.NaN;
  private lastAt = Number.NaN;
  readonly captured = new Map<string, string>();
  private readonly waiters = new Set<() => void>();

  constructor(
    /** Language of each socket, by index. */
    private readonly languages: readonly string[],
    /** Sockets reading this language get the original (the sender writes it). */
    private readonly originalLanguage: string,
    readonly first: number,
    readonly count: number,
  ) {
    this.sentAt = new Float64Array(count).fill(Number.NaN);
    this.seen = new Uint8Array(languages.length * count);
    this.perMessage = new Uint32Array(count);
    this.failedSends = new Uint8Array(count);
  }

  get expected(): number {
    return this.languages.length * (this.count - this.sendFailures);
  }

  get deliveredCount(): number {
    return this.delivered;
  }

  /** Call just before the message leaves (the sendMessage request, the broadcast command). */
  markSent(n: number, at = performance.now()): void {
    this.sentAt[n - this.first] = at;
    if (Number.isNaN(this.firstSendAt) || at < this.firstSendAt) this.firstSendAt = at;
  }

  /** The send of message `n` failed: no socket is expected to get it. */
  markSendFailed(n: number, reason: unknown): void {
    const slot = n - this.first;
    if (this.failedSends[slot]) return;
    if (this.samples.length < 3) this.samples.push(`sendMessage: ${String(reason).slice(0, 300)}`);
    this.failedSends[slot] = 1;
    this.sendFailures++;
    this.settledChanged();
  }

  onFrame(socket: number, frame: Buffer, at: number): void {
    const failed = frame.indexOf(ERRORS) >= 0;
    if (failed) {
      this.errors++;
      this.sample(frame);
    }
    const n = markerOf(frame);
    const slot = n - this.first;
    if (n < 0 || slot < 0 || slot >= this.count) {
      // A failed resolution names no message; it still ends that socket's wait for one.
      if (failed) this.failedUnnamed++;
      else {
        this.unexpected++;
        this.sample(frame);
      }
      this.settledChanged();
      return;
    }
    const index = socket * this.count + slot;
    if (this.seen[index]) {
      this.duplicates++;
      return;
    }
    this.seen[index] = 1;
    this.delivered++;
    this.perMessage[slot]!++;
    this.lastAt = at;
    const language = this.languages[socket]!;
    if (!this.captured.has(language)) this.captured.set(language, frame.toString('utf8'));
    const sent = this.sentAt[slot]!;
    if (!Number.isNaN(sent)) {
      this.all.recordMs(at - sent);
      if (language === this.originalLanguage) this.original.recordMs(at - sent);
    }
    this.settledChanged();
  }

  /** Deliveries plus failed ones: every socket has heard about every message when it reaches `expected`. */
  private get settled(): number {
    return this.delivered + this.failedUnnamed;
  }

  private settledChanged(): void {
    if (this.settled >= this.expected) for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves true once every socket has every message (or its error), false after `timeoutMs`. */
  complete(timeoutMs: number): Promise<boolean> {
    if (this.settled >= this.expected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(onComplete);
        resolve(value);
      };
      const onComplete = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(onComplete);
    });
  }

  summary(): PhaseDeliveries {
    const elapsedMs = this.lastAt - this.firstSendAt;
    let incompleteMessages = 0;
    this.perMessage.forEach((count, slot) => {
      if (!this.failedSends[slot] && count < this.languages.length) incompleteMessages++;
    });
    return {
      sockets: this.languages.length,
      messages: this.count,
      sendFailures: this.sendFailures,
      expected: this.expected,
      delivered: this.delivered,
      duplicates: this.duplicates,
      unexpected: this.unexpected,
      errors: this.errors,
      samples: this.samples,
      incompleteMessages,
      elapsedMs,
      deliveriesPerSecond: (this.delivered / elapsedMs) * 1000,
      originalLatency: this.original.summary(),
      allLatency: this.all.summary(),
    };
  }

  destroy(): void {
    this.original.destroy();
    this.all.destroy();
  }

  private sample(frame: Buffer): void {
    if (this.samples.length < 3) this.samples.push(frame.toString('utf8').slice(0, 300));
  }
}
