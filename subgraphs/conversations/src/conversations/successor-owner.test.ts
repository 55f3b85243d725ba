import { successorOwner } from './successor-owner';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('successorOwner', () => {
  it('prefers the longest-standing admin over older members', () => {
    const next = successorOwner([
      { userId: 'm1', role: 'MEMBER', joinedAt: at(1) },
      { userId: 'a2', role: 'ADMIN', joinedAt: at(5) },
      { userId: 'a1', role: 'ADMIN', joinedAt: at(3) },
    ] as const);
    expect(next?.userId).toBe('a1');
  });

  it('falls back to the longest-standing member', () => {
    const next = successorOwner([
      { userId: 'm2', role: 'MEMBER', joinedAt: at(2) },
      { userId: 'm1', role: 'MEMBER', joinedAt: at(1) },
    ] as const);
    expect(next?.userId).toBe('m1');
  });

  it('has nobody to pick in an empty conversation', () => {
    expect(successorOwner([])).toBeUndefined();
  });
});
