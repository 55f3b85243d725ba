import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 100, 5_000))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000,
    ]);
  });

  it('is 0 before any failure and stays finite after very many', () => {
    expect(backoffDelay(0, 100, 5_000)).toBe(0);
    expect(backoffDelay(10_000, 100, 5_000)).toBe(5_000);
  });
});
