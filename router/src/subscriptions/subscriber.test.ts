import { describe, expect, it } from '@jest/globals';
import type { FormattedExecutionResult } from 'graphql';
import type { PreparedSubscription } from './federated-subscriptions';
import { Subscriber, type DirectTransport, type ResultSlot } from './subscriber';

function subscriber(options: { maxBufferedBytes?: number; buffered?: number } = {}) {
  const sent: string[] = [];
  const buffers: Buffer[] = [];
  const transport: DirectTransport = {
    send: (payload) => {
      buffers.push(payload);
      sent.push(payload.toString());
    },
    flush: () => undefined,
    bufferedBytes: () => options.buffered ?? 0,
  };
  let delivered = 0;
  let ended = false;
  const self = new Subscriber({
    id: 1,
    identity: { userId: 'u1', clientIp: '' },
    field: 'messageAdded',
    conversationId: 'c1',
    prepared: {} as PreparedSubscription,
    variables: {},
    selectionKey: 'doc',
    viewer: { preferredLanguage: 'fr', autoTranslateEnabled: true },
    maxBufferedBytes: options.maxBufferedBytes ?? 1000,
    transport,
    onEnd: () => void (ended = true),
    onDeliver: () => void delivered++,
  });
  return { self, sent, buffers, delivered: () => delivered, ended: () => ended };
}

const result = (seq: number) => ({ data: { messageAdded: { seq } } });

describe('Subscriber', () => {
  it('sends results in the order their events were dispatched, whatever order they resolve in', async () => {
    const { self, sent } = subscriber();
    const [first, second, third] = [self.reserve(), self.reserve(), self.reserve()];
    self.fill(third, result(3));
    self.fill(second, result(2));
    expect(sent).toEqual([]);
    expect(self.pendingCount).toBe(3);
    const settled = self.settled();
    self.fill(first, result(1));
    await settled;
    expect(sent.map((json) => JSON.parse(json).data.messageAdded.seq)).toEqual([1, 2, 3]);
    expect(self.pendingCount).toBe(0);
  });

  it('sends an internal error in place of a result that could not be resolved', () => {
    const { self, sent } = subscriber();
    self.fill(self.reserve(), undefined);
    expect(JSON.parse(sent[0]!).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('ends with FORBIDDEN, and sends nothing after, when a result says access is gone', async () => {
    const { self, sent, ended } = subscriber();
    const [denied, later] = [self.reserve(), self.reserve()];
    const settled = self.settled();
    self.fill(denied, { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] });
    self.fill(later, result(2));
    await settled;
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(ended()).toBe(true);
  });

  it('cuts off a client whose socket holds more unsent bytes than allowed', () => {
    const { self, sent, ended, delivered } = subscriber({ maxBufferedBytes: 100, buffered: 100 });
    self.fill(self.reserve(), result(1));
    expect(JSON.parse(sent[0]!).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(ended()).toBe(true);
    expect(delivered()).toBe(0);
  });

  it('encodes a result shared by a group once', () => {
    const a = subscriber();
    const b = subscriber();
    const shared = result(1);
    a.self.fill(a.self.reserve(), shared);
    b.self.fill(b.self.reserve(), shared);
    expect(a.buffers[0]).toBe(b.buffers[0]);
  });

  it("shares one slot across a group; each member sends it when it is that member's turn", () => {
    const a = subscriber();
    const b = subscriber();
    const aEarlier = a.self.reserve();
    const slot: ResultSlot = {};
    a.self.reserve(slot);
    b.self.reserve(slot);
    slot.result = result(2);
    a.self.drain();
    b.self.drain();
    expect(a.sent).toEqual([]);
    expect(b.sent.map((json) => JSON.parse(json).data.messageAdded.seq)).toEqual([2]);
    a.self.fill(aEarlier, result(1));
    expect(a.sent.map((json) => JSON.parse(json).data.messageAdded.seq)).toEqual([1, 2]);
  });

  it('a shared slot with results per member gives each member its own, also when sent later', () => {
    const a = subscriber();
    const b = subscriber();
    const bEarlier = b.self.reserve();
    const slot: ResultSlot = {};
    a.self.reserve(slot);
    b.self.reserve(slot);
    slot.byMember = new Map<Subscriber, FormattedExecutionResult>([
      [a.self, result(7)],
      [b.self, { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }],
    ]);
    slot.result = { errors: [{ message: 'unused', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    a.self.drain();
    b.self.drain();
    expect(JSON.parse(a.sent[0]!).data.messageAdded.seq).toBe(7);
    b.self.fill(bEarlier, result(6));
    expect(
      b.sent.map((json) => JSON.parse(json).data?.messageAdded.seq ?? JSON.parse(json).errors[0].extensions.code),
    ).toEqual([6, 'FORBIDDEN']);
    expect(b.ended()).toBe(true);
  });
});
