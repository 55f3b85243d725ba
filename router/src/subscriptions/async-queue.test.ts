import { jest } from '@jest/globals';
import { AsyncQueue } from './async-queue';

describe('AsyncQueue', () => {
  it('hands out pushed values in order, to waiting and later takers', async () => {
    const queue = new AsyncQueue<number>();
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    await expect(first).resolves.toEqual({ value: 1, done: false });
    await expect(queue.next()).resolves.toEqual({ value: 2, done: false });
  });

  it('drains what is buffered after end, then is done', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.end();
    queue.push(2);
    await expect(queue.next()).resolves.toEqual({ value: 1, done: false });
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('runs onReturn once when the consumer stops, releasing a waiting taker', async () => {
    const onReturn = jest.fn();
    const queue = new AsyncQueue<number>(onReturn);
    const waiting = queue.next();
    await queue.return();
    await queue.return();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(onReturn).toHaveBeenCalledTimes(1);
  });
});
