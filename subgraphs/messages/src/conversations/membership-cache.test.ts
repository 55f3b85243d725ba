import { MembershipCache } from './membership-cache';

const members = (...ids: string[]) => ids;

function liveCache(options: { ttlMs?: number; maxIds?: number } = {}) {
  let now = 1_000;
  const cache = new MembershipCache({ ttlMs: options.ttlMs ?? 2_000, maxIds: options.maxIds ?? 100, now: () => now });
  cache.setLive(true);
  return { cache, advance: (ms: number) => (now += ms) };
}

function fill(cache: MembershipCache, entries: Record<string, string[]>) {
  cache.startFill().finish(new Map(Object.entries(entries)));
}

describe('MembershipCache', () => {
  it('serves a filled list until its TTL runs out', () => {
    const { cache, advance } = liveCache({ ttlMs: 2_000 });
    fill(cache, { c1: members('a', 'b') });
    expect(cache.get('c1')).toEqual(['a', 'b']);
    advance(1_999);
    expect(cache.get('c1')).toEqual(['a', 'b']);
    advance(1);
    expect(cache.get('c1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops a conversation on its membership event', () => {
    const { cache } = liveCache();
    fill(cache, { c1: members('a', 'b'), c2: members('a') });
    cache.invalidate('c1');
    expect(cache.get('c1')).toBeUndefined();
    expect(cache.get('c2')).toEqual(['a']);
  });

  it('does not store a fetch that an event overtook (it may predate the change)', () => {
    const { cache } = liveCache();
    const overtaken = cache.startFill();
    cache.invalidate('c1');
    overtaken.finish(
      new Map([
        ['c1', members('a', 'left')],
        ['c2', members('b')],
      ]),
    );
    expect(cache.get('c1')).toBeUndefined();
    expect(cache.get('c2')).toEqual(['b']);
  });

  it('holds and stores nothing while offline, and forgets everything when the subscription is lost or renewed', () => {
    const { cache } = liveCache();
    fill(cache, { c1: members('a') });
    const inFlight = cache.startFill();
    cache.setLive(false);
    expect(cache.get('c1')).toBeUndefined();
    fill(cache, { c1: members('a') });
    expect(cache.get('c1')).toBeUndefined();

    cache.setLive(true);
    // Started before the outage: events of the outage were never received.
    inFlight.finish(new Map([['c1', members('a')]]));
    expect(cache.get('c1')).toBeUndefined();
    fill(cache, { c1: members('a') });
    expect(cache.get('c1')).toEqual(['a']);
    cache.setLive(true);
    expect(cache.get('c1')).toBeUndefined();
  });

  it('forgets a fill whose fetch failed', () => {
    const { cache } = liveCache();
    const failed = cache.startFill();
    failed.abandon();
    failed.finish(new Map([['c1', members('a')]]));
    expect(cache.get('c1')).toBeUndefined();
  });

  it('bounds the member ids it holds, evicting the least recently used conversations', () => {
    // Each entry weighs its member count + 1.
    const { cache } = liveCache({ maxIds: 8 });
    fill(cache, { c1: members('a', 'b'), c2: members('a', 'b') });
    expect(cache.get('c1')).toBeDefined(); // c2 is now the least recently used
    fill(cache, { c3: members('a', 'b') });
    expect(cache.get('c2')).toBeUndefined();
    expect(cache.get('c1')).toBeDefined();
    expect(cache.get('c3')).toBeDefined();
    // Too large to hold at all.
    fill(cache, { big: Array.from({ length: 8 }, (_, i) => `m${i}`) });
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('with a TTL of 0 is off: never stores', () => {
    const { cache } = liveCache({ ttlMs: 0 });
    expect(cache.enabled).toBe(false);
    fill(cache, { c1: members('a') });
    expect(cache.get('c1')).toBeUndefined();
  });
});
