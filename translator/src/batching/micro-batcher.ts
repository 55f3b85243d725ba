/** The job was dropped before it ran (its message was deleted, or the batcher closed without it). */
export class BatchCancelledError extends Error {
  constructor(message = 'translation job cancelled') {
    super(message);
    this.name = 'BatchCancelledError';
  }
}

export interface MicroBatcherOptions<G, R> {
  /** Most inputs in one run. */
  batchSize: number;
  /** How long the oldest waiting input of a group waits for others before its group runs anyway. */
  windowMs: number;
  /** Inputs whose groups have the same key run together (model + language pair). */
  groupKey: (group: G) => string;
  /** Runs one batch of one group; returns one result per input, in order. */
  run: (group: G, inputs: string[]) => Promise<R[]>;
  /**
   * Whether a failed batch of several inputs is retried in halves, so that one input that breaks
   * the model fails alone. Not for failures that do not depend on the inputs (a model that will
   * not load). Default: always.
   */
  splitOnError?: (error: unknown) => boolean;
}

export interface MicroBatcherStats {
  /** Calls of `run`, retries of split batches included. */
  runs: number;
  /** Inputs handed to `run`. */
  inputs: number;
  /** Inputs dropped by `cancel` before they ran. */
  cancelled: number;
}

interface Job<R> {
  input: string;
  tag: string | undefined;
  enqueuedAt: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

interface Group<G, R> {
  key: string;
  group: G;
  jobs: Job<R>[];
}

/**
 * Gathers inputs into batches: a group runs as soon as it holds `batchSize` inputs, or once its
 * oldest input has waited `windowMs`. One batch runs at a time (inference is CPU-bound), so under
 * load inputs pile up while a batch runs and the next batches are full ones.
 */
export class MicroBatcher<G, R> {
  readonly stats: MicroBatcherStats = { runs: 0, inputs: 0, cancelled: 0 };
  private readonly groups = new Map<string, Group<G, R>>();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: MicroBatcherOptions<G, R>) {}

  /** Inputs waiting, over all groups. */
  get pending(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.jobs.length;
    return count;
  }

  /** Groups with inputs waiting. */
  get groupCount(): number {
    return this.groups.size;
  }

  /** Runs one input with others of its group; `tag` (e.g. message id and version) lets `cancel` drop it while it waits. */
  submit(group: G, input: string, tag?: string): Promise<R> {
    if (this.closing) return Promise.reject(new BatchCancelledError('the batcher is closed'));
    return new Promise<R>((resolve, reject) => {
      const key = this.options.groupKey(group);
      let entry = this.groups.get(key);
      if (!entry) {
        entry = { key, group, jobs: [] };
        this.groups.set(key, entry);
      }
      entry.jobs.push({ input, tag, enqueuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /**
   * Drops the waiting inputs whose tag is `match` (or satisfies it); their promises reject with
   * BatchCancelledError. Inputs already running finish.
   */
  cancel(match: string | ((tag: string) => boolean)): number {
    const matches = typeof match === 'string' ? (tag: string) => tag === match : match;
    let dropped = 0;
    for (const [key, entry] of this.groups) {
      const kept: Job<R>[] = [];
      for (const job of entry.jobs) {
        if (job.tag !== undefined && matches(job.tag)) {
          job.reject(new BatchCancelledError());
          dropped += 1;
        } else {
          kept.push(job);
        }
      }
      entry.jobs = kept;
      if (kept.length === 0) this.groups.delete(key);
    }
    this.stats.cancelled += dropped;
    if (dropped > 0) this.schedule();
    return dropped;
  }

  /** Runs everything that waits without waiting for windows, then refuses new inputs. */
  async close(): Promise<void> {
    this.closing = true;
    this.schedule();
    await this.idle();
  }

  /** Resolves once nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (!this.running && this.groups.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.running) return;
    const now = performance.now();
    const ready = this.nextReady(now);
    if (ready) {
      this.clearTimer();
      void this.runGroup(ready);
      return;
    }
    if (this.groups.size === 0) {
      this.clearTimer();
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    if (this.timer) return;
    let earliest = Infinity;
    for (const entry of this.groups.values()) earliest = Math.min(earliest, entry.jobs[0]?.enqueuedAt ?? Infinity);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.schedule();
      },
      Math.max(0, earliest + this.options.windowMs - now),
    );
  }

  /** A full group first; else the group whose oldest input is due, oldest first. */
  private nextReady(now: number): Group<G, R> | undefined {
    let due: Group<G, R> | undefined;
    for (const entry of this.groups.values()) {
      if (entry.jobs.length >= this.options.batchSize) return entry;
      const oldest = entry.jobs[0];
      if (!oldest) continue;
      if (this.closing || now - oldest.enqueuedAt >= this.options.windowMs) {
        if (!due || oldest.enqueuedAt < (due.jobs[0]?.enqueuedAt ?? Infinity)) due = entry;
      }
    }
    return due;
  }

  private async runGroup(entry: Group<G, R>): Promise<void> {
    this.running = true;
    const jobs = entry.jobs.splice(0, this.options.batchSize);
    if (entry.jobs.length === 0) this.groups.delete(entry.key);
    try {
      await this.runJobs(entry.group, jobs);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async runJobs(group: G, jobs: Job<R>[]): Promise<void> {
    this.stats.runs += 1;
    this.stats.inputs += jobs.length;
    try {
      const results = await this.options.run(
        group,
        jobs.map((job) => job.input),
      );
      if (results.length !== jobs.length) {
        throw new Error(`batch returned ${results.length} results for ${jobs.length} inputs`);
      }
      jobs.forEach((job, i) => job.resolve(results[i] as R));
    } catch (error) {
      const split = this.options.splitOnError ?? (() => true);
      if (jobs.length === 1 || !split(error)) {
        for (const job of jobs) job.reject(error);
        return;
      }
      const half = Math.ceil(jobs.length / 2);
      await this.runJobs(group, jobs.slice(0, half));
      await this.runJobs(group, jobs.slice(half));
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
