import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { CoalescedWrites, textFrameHeader } from './coalesced-writes';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const frame = (id: string) => Buffer.from(`{"id":"${id}","type":"next","payload":`);
const text = (id: string, payload: string) => `{"id":"${id}","type":"next","payload":${payload}}`;

/** A real ws server and client on loopback: what the client reads is what a graphql-ws client would. */
async function connectedPair(options: { perMessageDeflate?: boolean | { threshold: number } } = {}) {
  const server = new WebSocketServer({ port: 0, perMessageDeflate: options.perMessageDeflate ?? false });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, {
    perMessageDeflate: options.perMessageDeflate ?? false,
  });
  const received: string[] = [];
  const arrivals: Array<() => void> = [];
  client.on('message', (data, isBinary) => {
    received.push(`${isBinary ? 'binary:' : ''}${data.toString()}`);
    arrivals.shift()?.();
  });
  await new Promise((resolve) => client.once('open', resolve));
  const socket = await accepted;
  const untilReceived = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => arrivals.push(resolve));
  };
  opened.push({ server, client });
  return { socket, client, received, untilReceived };
}

const opened: Array<{ server: WebSocketServer; client: WebSocket }> = [];
afterEach(async () => {
  for (const { server, client } of opened.splice(0)) {
    client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('textFrameHeader', () => {
  it.each([
    [0, [0x81, 0]],
    [125, [0x81, 125]],
    [126, [0x81, 126, 0, 126]],
    [65_535, [0x81, 126, 0xff, 0xff]],
    [65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
  ])('encodes a length of %i as RFC 6455 says', (length, bytes) => {
    expect([...textFrameHeader(length)]).toEqual(bytes);
  });
});

describe('CoalescedWrites', () => {
  it("sends a socket's frames of one event-loop turn in one write, in order, at the end of the turn", async () => {
    const { socket, received, untilReceived } = await connectedPair();
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    const payloads = ['{"data":{"n":1}}', '{"data":{"n":2}}', '{"data":{"n":3}}'];
    for (const payload of payloads) coalesced.send(writes, frame('a'), Buffer.from(payload));
    expect(writes.parts).toHaveLength(6);
    await nextTurn();
    expect(writes.parts).toHaveLength(0);
    await untilReceived(3);
    expect(received).toEqual(payloads.map((payload) => text('a', payload)));
    expect(coalesced.stats).toEqual({ frames: 3, writes: 1 });
  });

  it('frames every length ws can read: short, 16-bit and 64-bit lengths, and multi-byte characters', async () => {
    const { socket, received, untilReceived } = await connectedPair();
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    const payloads = [
      '"é"',
      JSON.stringify('x'.repeat(90)),
      JSON.stringify('日本語'.repeat(40)),
      JSON.stringify('y'.repeat(65_500)),
      JSON.stringify('z'.repeat(70_000)),
    ];
    for (const payload of payloads) coalesced.send(writes, frame('7'), Buffer.from(payload));
    await untilReceived(payloads.length);
    expect(received).toEqual(payloads.map((payload) => text('7', payload)));
  });

  it('keeps sockets apart, and frames of later turns in later writes', async () => {
    const one = await connectedPair();
    const two = await connectedPair();
    const coalesced = new CoalescedWrites();
    const oneWrites = coalesced.forSocket(one.socket);
    const twoWrites = coalesced.forSocket(two.socket);
    coalesced.send(oneWrites, frame('1'), Buffer.from('1'));
    coalesced.send(twoWrites, frame('2'), Buffer.from('2'));
    await nextTurn();
    coalesced.send(oneWrites, frame('1'), Buffer.from('3'));
    await Promise.all([one.untilReceived(2), two.untilReceived(1)]);
    expect(one.received).toEqual([text('1', '1'), text('1', '3')]);
    expect(two.received).toEqual([text('2', '2')]);
    expect(coalesced.stats).toEqual({ frames: 3, writes: 3 });
  });

  it('flush writes a socket now, so what is sent next through ws (a complete) comes after', async () => {
    const { socket, received, untilReceived } = await connectedPair();
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    coalesced.send(writes, frame('c'), Buffer.from('{"data":null}'));
    coalesced.flush(writes);
    socket.send('{"id":"c","type":"complete"}');
    await untilReceived(2);
    expect(received).toEqual([text('c', '{"data":null}'), '{"id":"c","type":"complete"}']);
  });

  it('counts the bytes waiting for the end of the turn, and forgets them once written', async () => {
    const { socket, untilReceived } = await connectedPair();
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    coalesced.send(writes, frame('b'), Buffer.from('"12345"'));
    coalesced.send(writes, frame('b'), Buffer.from('"6"'));
    expect(writes.pendingBytes).toBe(2 * (frame('b').length + 1) + 7 + 3);
    await nextTurn();
    expect(writes.pendingBytes).toBe(0);
    await untilReceived(2);
  });

  it('waits behind a frame ws is still compressing, instead of overtaking it on the socket', async () => {
    const { socket, received, untilReceived } = await connectedPair({ perMessageDeflate: { threshold: 0 } });
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    socket.send('"compressed first"');
    coalesced.send(writes, frame('q'), Buffer.from('"second"'));
    coalesced.flush(writes);
    await untilReceived(2);
    expect(received).toEqual(['"compressed first"', text('q', '"second"')]);
  });

  it('waits behind a frame ws has queued (a Blob being read), without any extension', async () => {
    const { socket, received, untilReceived } = await connectedPair();
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    socket.send(new Blob(['queued first']));
    coalesced.send(writes, frame('r'), Buffer.from('"second"'));
    coalesced.flush(writes);
    await untilReceived(2);
    expect(received).toEqual(['binary:queued first', text('r', '"second"')]);
  });

  it('goes through ws itself when a compression extension is in use', async () => {
    const { socket, received, untilReceived } = await connectedPair({ perMessageDeflate: true });
    expect(socket.extensions).not.toBe('');
    // An uncompressed frame would be valid too; what shows the path taken is ws' own send.
    const send = jest.spyOn(socket, 'send');
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    coalesced.send(writes, frame('d'), Buffer.from('"one"'));
    coalesced.send(writes, frame('d'), Buffer.from('"two"'));
    await untilReceived(2);
    expect(received).toEqual([text('d', '"one"'), text('d', '"two"')]);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('drops the frames of a socket that closed before the end of the turn', async () => {
    const { socket, client } = await connectedPair();
    const closed = new Promise((resolve) => client.once('close', resolve));
    const coalesced = new CoalescedWrites();
    const writes = coalesced.forSocket(socket);
    coalesced.send(writes, frame('e'), Buffer.from('"late"'));
    socket.close(1001);
    await nextTurn();
    expect(writes.parts).toEqual([]);
    expect(coalesced.stats.frames).toBe(0);
    await closed;
  });

  it('flushAll writes every waiting socket at once (before a graceful close)', async () => {
    const one = await connectedPair();
    const two = await connectedPair();
    const coalesced = new CoalescedWrites();
    coalesced.send(coalesced.forSocket(one.socket), frame('x'), Buffer.from('1'));
    coalesced.send(coalesced.forSocket(two.socket), frame('y'), Buffer.from('2'));
    coalesced.flushAll();
    expect(coalesced.stats).toEqual({ frames: 2, writes: 2 });
    await Promise.all([one.untilReceived(1), two.untilReceived(1)]);
  });
});
