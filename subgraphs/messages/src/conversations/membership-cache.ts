/**
 * Member ids per conversation, kept briefly so that a send does not ask the conversations subgraph
 * every time. The conversations subgraph stays the owner: an entry is dropped when its membership
 * event arrives (`membership-changes.ts`), and lives `ttlMs` at most in case an event is lost
 * (Redis briefly slow for the publisher, a crash between commit and publish).
 *
 * It serves nothing unless it is live, i.e. while the membership subscription is confirmed on a
 * connected Redis: events published while it is not would be missed, so going offline (or coming
 * back) flushes everything.
 *
 * A fetch that started before an invalidation of its conversation answers with what may be the old
 * membership: such a result is used by the request that asked for it, as without a cache, but not
 * stored (`startFill`), so the cache never holds a list older than the last event it received.
 */
export interface MembershipCacheOptions {
  /** How long an entry may serve without an event; 0 turns the cache off. */
  ttlMs: number;
  /**
   * Bound on the member ids held over all entries (each entry counts one more, so empty lists are
   * bounded too); the least recently used entries go first.
   */
  maxIds: number;
  now?: () => number;
}

interface Entry {
  memberIds: string[];
  expiresAt: number;
}

export interface MembershipFill {
  /** Stores the lists fetched for the fill's conversations, except those invalidated meanwhile. */
  finish(memberIds: ReadonlyMap<string, string[]>): void;
  /** The fetch failed: nothing to store. */
  abandon(): void;
}

interface PendingFill {
  /** Conversations invalidated since the fill started ('all' after a flush). */
  overtaken: Set<string> | 'all';
}

export class MembershipCache {
  /** In least recently used order (a Map iterates in insertion order; a hit re-inserts). */
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Set<PendingFill>();
  private heldIds = 0;
  private live = false;
  private readonly now: () => number;

  constructor(private readonly options: MembershipCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  /** The cached member ids, or undefined (not cached, expired, or the cache is not live). */
  get(conversationId: string): string[] | undefined {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    this.entries.delete(conversationId);
    if (!this.live || entry.expiresAt <= this.now()) {
      this.heldIds -= weight(entry.memberIds);
      return undefined;
    }
    this.entries.set(conversationId, entry);
    return entry.memberIds;
  }

  /** Call before fetching; the fill stores the answer unless an invalidation overtook it. */
  startFill(): MembershipFill {
    const fill: PendingFill = { overtaken: this.live && this.enabled ? new Set() : 'all' };
    this.pending.add(fill);
    return {
      finish: (memberIds) => {
        if (!this.pending.delete(fill) || fill.overtaken === 'all' || !this.live) return;
        const expiresAt = this.now() + this.options.ttlMs;
        for (const [conversationId, ids] of memberIds) {
          if (!fill.overtaken.has(conversationId)) this.put(conversationId, ids, expiresAt);
        }
      },
      abandon: () => {
        this.pending.delete(fill);
      },
    };
  }

  /** A membership of this conversation changed. */
  invalidate(conversationId: string): void {
    this.drop(conversationId);
    for (const fill of this.pending) if (fill.overtaken !== 'all') fill.overtaken.add(conversationId);
  }

  /** The membership subscription is confirmed (true) or lost (false); either way nothing held is trusted. */
  setLive(live: boolean): void {
    this.flush();
    this.live = live;
  }

  /** Drops every entry and every fill in flight. */
  flush(): void {
    this.entries.clear();
    this.heldIds = 0;
    for (const fill of this.pending) fill.overtaken = 'all';
  }

  get size(): number {
    return this.entries.size;
  }

  private put(conversationId: string, memberIds: string[], expiresAt: number): void {
    if (weight(memberIds) > this.options.maxIds) return;
    this.drop(conversationId);
    this.entries.set(conversationId, { memberIds, expiresAt });
    this.heldIds += weight(memberIds);
    for (const [oldest, entry] of this.entries) {
      if (this.heldIds <= this.options.maxIds) break;
      this.entries.delete(oldest);
      this.heldIds -= weight(entry.memberIds);
    }
  }

  private drop(conversationId: string): void {
    const entry = this.entries.get(conversationId);
    if (!entry) return;
    this.entries.delete(conversationId);
    this.heldIds -= weight(entry.memberIds);
  }
}

const weight = (memberIds: readonly string[]): number => memberIds.length + 1;
