import { describe, expect, it } from '@jest/globals';
import type { WebSocket } from 'ws';
import { CoalescedWrites } from './coalesced-writes';

/** What the network would see: each uncorked run of frames is one write. */
function fakeSocket() {
  const writes: string[][] = [];
  let corked = 0;
  let current: string[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send(frame: string) {
      current.push(frame);
      if (corked === 0) {
        writes.push(current);
        current = [];
      }
    },
    _socket: {
      cork: () => (corked += 1),
      uncork: () => {
        corked -= 1;
        if (corked === 0 && current.length > 0) {
          writes.push(current);
          current = [];
        }
      },
    },
  };
  return { socket: socket as unknown as WebSocket & { readyState: number }, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedWrites', () => {
  it("sends a socket's frames of one event-loop turn in one write, in order, at the end of the turn", async () => {
    const coalesced = new CoalescedWrites();
    const { socket, writes } = fakeSocket();
    const buffer = coalesced.forSocket(socket);
    coalesced.send(buffer, 'a');
    coalesced.send(buffer, 'b');
    coalesced.send(buffer, 'c');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['a', 'b', 'c']]);
    expect(coalesced.stats).toEqual({ frames: 3, writes: 1 });
  });

  it('keeps sockets apart and frames of later turns in later writes', async () => {
    const coalesced = new CoalescedWrites();
    const one = fakeSocket();
    const two = fakeSocket();
    const oneBuffer = coalesced.forSocket(one.socket);
    const twoBuffer = coalesced.forSocket(two.socket);
    coalesced.send(oneBuffer, '1a');
    coalesced.send(twoBuffer, '2a');
    await nextTurn();
    coalesced.send(oneBuffer, '1b');
    await nextTurn();
    expect(one.writes).toEqual([['1a'], ['1b']]);
    expect(two.writes).toEqual([['2a']]);
  });

  it('flush writes a socket now, so what the caller sends next (a complete) comes after', async () => {
    const coalesced = new CoalescedWrites();
    const { socket, writes } = fakeSocket();
    const buffer = coalesced.forSocket(socket);
    coalesced.send(buffer, 'next');
    coalesced.flush(buffer);
    socket.send('complete');
    await nextTurn();
    expect(writes).toEqual([['next'], ['complete']]);
    expect(coalesced.stats.frames).toBe(1);
  });

  it('drops the frames of a socket that closed before the end of the turn', async () => {
    const coalesced = new CoalescedWrites();
    const { socket, writes } = fakeSocket();
    const buffer = coalesced.forSocket(socket);
    coalesced.send(buffer, 'late');
    socket.readyState = 3;
    await nextTurn();
    expect(writes).toEqual([]);
    expect(buffer.frames).toEqual([]);
  });

  it('flushAll writes every waiting socket at once (before a graceful close)', () => {
    const coalesced = new CoalescedWrites();
    const one = fakeSocket();
    const two = fakeSocket();
    coalesced.send(coalesced.forSocket(one.socket), 'x');
    coalesced.send(coalesced.forSocket(two.socket), 'y');
    coalesced.flushAll();
    expect([one.writes, two.writes]).toEqual([[['x']], [['y']]]);
  });
});
