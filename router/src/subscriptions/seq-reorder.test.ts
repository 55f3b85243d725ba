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

  it('once it knows where the feed starts, sends the next seq at once', () => {
    const { out, reorder } = buffer();
    reorder.start(8);
    reorder.push({ seq: 8 });
    expect(out).toEqual([8]);
    reorder.push({ seq: 10 });
    expect(out).toEqual([8]);
    reorder.push({ seq: 9 });
    expect(out).toEqual([8, 9, 10]);
  });

  it('releases what it held when the start arrives late, and drops what came before the feed', () => {
    const { out, reorder } = buffer();
    reorder.push({ seq: 8 });
    reorder.push({ seq: 6 });
    reorder.push({ seq: 9 });
    reorder.start(8);
    expect(out).toEqual([8, 9]);
    // Committed before the feed, published late: the subscriber's catch-up query has it.
    reorder.push({ seq: 7 });
    jest.advanceTimersByTime(100);
    expect(out).toEqual([8, 9]);
    expect(reorder.passed(7)).toBe(true);
    expect(reorder.passed(9)).toBe(true);
    expect(reorder.passed(10)).toBe(false);
  });

  it('tells a seq that may still come from one that is behind it', () => {
    const { reorder } = buffer();
    reorder.start(1);
    reorder.push({ seq: 1 });
    reorder.push({ seq: 3 });
    expect(reorder.passed(1)).toBe(true);
    expect(reorder.passed(2)).toBe(false);
    expect(reorder.passed(3)).toBe(false);
    jest.advanceTimersByTime(100);
    expect(reorder.passed(3)).toBe(true);
  });

  it('ignores a start after events went out', () => {
    const { out, reorder } = buffer();
    reorder.push({ seq: 3 });
    jest.advanceTimersByTime(100);
    reorder.start(1);
    reorder.push({ seq: 4 });
    expect(out).toEqual([3, 4]);
  });
});
