/**
 * A push-fed async iterator: the hub pushes results as events resolve, graphql-ws pulls them.
 * `return()` (the client completed, the socket closed) ends it and runs `onReturn` once.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly takers: Array<(result: IteratorResult<T>) => void> = [];
  private ended = false;

  constructor(private readonly onReturn: () => void = () => undefined) {}

  get size(): number {
    return this.buffer.length;
  }

  get done(): boolean {
    return this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    const taker = this.takers.shift();
    if (taker) taker({ value, done: false });
    else this.buffer.push(value);
  }

  /** Ends after what is buffered has been taken. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onReturn();
    for (const taker of this.takers.splice(0)) taker({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.takers.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
