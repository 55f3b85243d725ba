import { randomUUID } from 'node:crypto';
import { deliveryCount, parseMessageEvent } from './message-consumer';

const event = {
  eventId: '42',
  kind: 'message.created',
  messageId: randomUUID(),
  conversationId: randomUUID(),
  senderId: randomUUID(),
  seq: 1,
  version: 1,
  content: 'Bonjour',
  originalLanguage: 'fr',
  occurredAt: new Date().toISOString(),
};

describe('parseMessageEvent', () => {
  it('accepts an event however rabbitmq-client hands the body over', () => {
    for (const body of [event, JSON.stringify(event), Buffer.from(JSON.stringify(event))]) {
      expect(parseMessageEvent(body)).toEqual({ ok: true, event });
    }
  });

  it('refuses what is not JSON, or not a MessageEvent, saying why', () => {
    expect(parseMessageEvent(Buffer.from('{nope'))).toEqual({ ok: false, reason: 'body is not JSON' });
    const parsed = parseMessageEvent({ ...event, messageId: 'not-a-uuid', kind: 'message.exploded' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/kind.*messageId|messageId.*kind/s);
    expect(parseMessageEvent(null).ok).toBe(false);
  });
});

describe('deliveryCount', () => {
  it('reads the quorum queue header; 0 on the first delivery', () => {
    expect(deliveryCount({ headers: undefined })).toBe(0);
    expect(deliveryCount({ headers: { 'x-delivery-count': 3 } })).toBe(3);
    expect(deliveryCount({ headers: { 'x-delivery-count': 'junk' } })).toBe(0);
  });
});
