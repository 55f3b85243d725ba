import { SeqMerger, type MessageSource } from './seq-merger';

interface Msg {
  seq: number;
  version?: number;
}

const msg = (seq: number, version = 1): Msg => ({ seq, version });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function setup(afterSeq = 0) {
  const seen: Array<{ seq: number; source: MessageSource }> = [];
  const updates: Msg[] = [];
  const log: string[] = [];
  const merger = new SeqMerger<Msg>(afterSeq, {
    message: (message, source) => {
      seen.push({ seq: message.seq, source });
      log.push(`message ${message.seq}`);
    },
    update: (message) => {
      updates.push(message);
      log.push(`update ${message.seq} v${message.version}`);
    },
  });
  const seqs = () => seen.map((entry) => entry.seq);
  return { merger, seen, updates, log, seqs };
}

describe('SeqMerger', () => {
  it('hands out contiguous live events at once and drops duplicates', () => {
    const { merger, seqs, seen } = setup();
    expect(merger.live(msg(1))).toBe(false);
    expect(merger.live(msg(2))).toBe(false);
    expect(merger.live(msg(2))).toBe(false);
    expect(merger.live(msg(1))).toBe(false);
    expect(seqs()).toEqual([1, 2]);
    expect(seen.every((entry) => entry.source === 'live')).toBe(true);
    expect(merger.lastSeq).toBe(2);
  });

  it('starts after afterSeq: older events are the caller’s already', () => {
    const { merger, seqs } = setup(10);
    merger.live(msg(9));
    merger.live(msg(10));
    expect(seqs()).toEqual([]);
    merger.live(msg(11));
    expect(seqs()).toEqual([11]);
  });

  it('buffers past a gap, asks for a catch-up, and fills the gap from it in order', () => {
    const { merger, seqs, seen } = setup();
    merger.live(msg(1));
    expect(merger.live(msg(4))).toBe(true);
    expect(merger.live(msg(5))).toBe(true);
    expect(seqs()).toEqual([1]);
    expect(merger.buffered).toEqual([4, 5]);

    expect(merger.beginCatchUp()).toBe(1);
    merger.catchUpPage([msg(2), msg(3), msg(4), msg(5)]);
    expect(merger.endCatchUp()).toBe(false);
    expect(seqs()).toEqual([1, 2, 3, 4, 5]);
    expect(seen.map((entry) => entry.source)).toEqual(['live', 'catch-up', 'catch-up', 'catch-up', 'catch-up']);
    expect(merger.buffered).toEqual([]);
  });

  it('holds live events while a catch-up runs and merges them after it without duplicates', () => {
    const { merger, seqs } = setup(3);
    merger.beginCatchUp();
    merger.live(msg(5)); // arrives while page 1 is in flight
    merger.live(msg(8));
    expect(seqs()).toEqual([]);
    merger.catchUpPage([msg(4), msg(5), msg(6)]); // the server read before 7 and 8 existed
    merger.live(msg(7));
    expect(seqs()).toEqual([4, 5, 6]);
    expect(merger.endCatchUp()).toBe(false);
    expect(seqs()).toEqual([4, 5, 6, 7, 8]);
  });

  it('asks for another round when a gap remains after a round', () => {
    const { merger, seqs } = setup();
    merger.beginCatchUp();
    merger.catchUpPage([msg(1)]);
    merger.live(msg(3)); // 2 was stored after the page was read and its live event was lost
    expect(merger.endCatchUp()).toBe(true);
    expect(seqs()).toEqual([1]);
    merger.beginCatchUp();
    merger.catchUpPage([msg(2), msg(3)]);
    expect(merger.endCatchUp()).toBe(false);
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('pages: each page continues after the last seq of the one before', () => {
    const { merger, seqs } = setup();
    merger.beginCatchUp();
    merger.catchUpPage(range(1, 3).map((seq) => msg(seq)));
    expect(merger.lastSeq).toBe(3);
    merger.catchUpPage(range(4, 6).map((seq) => msg(seq)));
    merger.catchUpPage([msg(7)]);
    merger.endCatchUp();
    expect(seqs()).toEqual(range(1, 7));
  });

  it('ignores catch-up rows at or below lastSeq and sorts a page', () => {
    const { merger, seqs } = setup();
    merger.live(msg(1));
    merger.live(msg(2));
    merger.beginCatchUp();
    merger.catchUpPage([msg(4), msg(2), msg(3), msg(1)]);
    merger.endCatchUp();
    expect(seqs()).toEqual([1, 2, 3, 4]);
  });

  it('after a complete round, hands out events buffered before it even where the server left a seq out', () => {
    const { merger, seqs } = setup();
    merger.live(msg(1));
    merger.live(msg(3)); // gap at 2
    merger.beginCatchUp();
    merger.catchUpPage([]); // the server has no seq 2 (never happens with gapless seqs)
    expect(merger.endCatchUp()).toBe(false);
    expect(seqs()).toEqual([1, 3]);
  });

  it('a failed round forces nothing: the gap stays until a round completes', () => {
    const { merger, seqs } = setup();
    merger.live(msg(1));
    merger.live(msg(3));
    merger.beginCatchUp();
    merger.abortCatchUp();
    expect(seqs()).toEqual([1]);
    expect(merger.buffered).toEqual([3]);
    expect(merger.isCatchingUp).toBe(false);
    merger.beginCatchUp();
    merger.catchUpPage([msg(2), msg(3)]);
    merger.endCatchUp();
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('a page delivered part-way through a failed round stays delivered', () => {
    const { merger, seqs } = setup();
    merger.beginCatchUp();
    merger.catchUpPage([msg(1), msg(2)]);
    merger.live(msg(4));
    merger.abortCatchUp();
    expect(seqs()).toEqual([1, 2]);
    expect(merger.lastSeq).toBe(2);
    expect(merger.buffered).toEqual([4]);
  });

  it('hands out updates of handed-out messages at once, and holds others until their message', () => {
    const { merger, log } = setup();
    merger.live(msg(1));
    merger.update(msg(1, 2));
    merger.update(msg(3, 2)); // edit of a message the caller has not seen yet
    merger.live(msg(3));
    expect(log).toEqual(['message 1', 'update 1 v2']);
    merger.beginCatchUp();
    merger.catchUpPage([msg(2), msg(3)]);
    merger.endCatchUp();
    expect(log).toEqual(['message 1', 'update 1 v2', 'message 2', 'message 3', 'update 3 v2']);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])(
    'simulated drops, duplicates, slow catch-ups and reconnects (seed %i): every seq once, in order',
    (seed) => {
      const outcome = simulate(seed);
      expect(outcome.delivered).toEqual(range(1, outcome.total));
    },
  );
});

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A server storing messages and a client driving the merger as the feed does, one random step at a
 * time: messages are stored; live events travel with random delays (and sometimes twice), all lost
 * while the socket is down and until the subscription is registered again after a reconnect;
 * catch-up pages are read when asked and answered some steps later. At the end the feed's settle
 * catch-up runs, as `settleMs` does after each connect.
 */
function simulate(seed: number) {
  const rand = random(seed);
  const total = 60 + Math.floor(rand() * 60);
  const pageSize = 1 + Math.floor(rand() * 8);
  let stored = 0;
  let subscribed = true;
  let socketUp = true;
  const inFlight: number[] = []; // live events on the wire, in seq order as the router sends them
  let pending: { rows: number[] } | undefined; // a page read by the server, not yet answered
  let roundActive = false;
  let again = false;
  const delivered: number[] = [];
  const merger = new SeqMerger<Msg>(0, { message: (message) => delivered.push(message.seq) });

  const requestCatchUp = () => {
    if (roundActive) {
      again = true;
      return;
    }
    roundActive = true;
    again = false;
    const after = merger.beginCatchUp();
    pending = { rows: range(after + 1, Math.min(stored, after + pageSize)) };
  };
  const answerPage = () => {
    const rows = pending!.rows;
    pending = undefined;
    merger.catchUpPage(rows.map((seq) => msg(seq)));
    if (rows.length === pageSize) {
      pending = { rows: range(merger.lastSeq + 1, Math.min(stored, merger.lastSeq + pageSize)) };
      return;
    }
    roundActive = false;
    if (merger.endCatchUp() || again) requestCatchUp();
  };

  requestCatchUp();
  for (let step = 0; step < 5_000 && (stored < total || inFlight.length > 0 || pending); step++) {
    const dice = rand();
    if (dice < 0.35 && stored < total) {
      stored += 1;
      if (subscribed) inFlight.push(stored);
    } else if (dice < 0.6 && inFlight.length > 0) {
      const seq = inFlight.shift()!;
      if (merger.live(msg(seq))) requestCatchUp();
      if (rand() < 0.1) merger.live(msg(seq)); // a duplicate delivery
    } else if (dice < 0.75 && pending) {
      answerPage();
    } else if (dice < 0.8 && socketUp) {
      socketUp = false; // the socket drops: what was on the wire is lost
      subscribed = false;
      inFlight.length = 0;
    } else if (dice < 0.88 && !socketUp) {
      socketUp = true; // reconnected: catch up at once; the subscription registers a little later
      requestCatchUp();
    } else if (dice < 0.95 && socketUp && !subscribed) {
      subscribed = true;
    }
  }
  // Everything is stored; the socket is back and the settle timer runs its catch-up.
  while (pending) answerPage();
  for (const seq of inFlight.splice(0)) merger.live(msg(seq));
  requestCatchUp();
  while (pending) answerPage();
  return { delivered, total };
}
