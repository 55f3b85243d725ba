import { jest } from '@jest/globals';
import { SeqReorderBuffer } from './seq-reorder';

describe('SeqReorderBuffer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const buffer = () => {
    const out: number[] = [];
    const reorder = new SeqReorderBuffer<{ seq: number }>(100, (event) => out.push(event.seq));
    return { out, reorder };
  };

  it('holds the first event one window, then releases in seq order', () => {
    const { out, reorder } = buffer();
    reorder.push({ seq: 6 });
    reorder.push({ seq: 5 });
    expect(out).toEqual([]);
    jest.advanceTimersByTime(100);
    expect(out).toEqual([5, 6]);
    reorder.push({ seq: 7 });
    expect(out).toEqual([5, 6, 7]);
  });

  it('fills a gap as soon as the missing event arrives', () => {
    const { out, reorder } = buffer();
    reorder.push({ seq: 1 });
    jest.advanceTimersByTime(100);
    reorder.push({ seq: 3 });
    reorder.push({ seq: 4 });
    expect(out).toEqual([1]);
    reorder.push({ seq: 2 });
    expect(out).toEqual([1, 2, 3, 4]);
  });

  it('gives up on a lost event after one window and drops duplicates', () => {
    const { out, reorder } = buffer();
    reorder.push({ seq: 1 });
    jest.advanceTimersByTime(100);
    reorder.push({ seq: 3 });
    jest.advanceTimersByTime(100);
    reorder.push({ seq: 3 });
    reorder.push({ seq: 4 });
    expect(out).toEqual([1, 3, 4]);
  });
});
