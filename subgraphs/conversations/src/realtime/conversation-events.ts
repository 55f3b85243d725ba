import type {
  ConversationEvent,
  MembershipEvent,
  ReadRealtimeEvent,
  RealtimePublisher,
  TypingRealtimeEvent,
} from '@parley/common';

export const isTypingEvent = (event: ConversationEvent): event is TypingRealtimeEvent => event.type === 'typing';

export const isReadEvent = (event: ConversationEvent): event is ReadRealtimeEvent => event.type === 'read';

/**
 * Announces committed membership changes, one event per user, on the conversation's channel (so
 * routers start or stop deliveries of the conversation's events to them) and on the membership
 * channel (so the messages subgraph drops its cached member list). Called after the commit; never
 * throws. The membership channel goes first on the same connection, so Redis delivers the cache
 * invalidation no later than the routers' event.
 */
export async function publishMembership(
  publisher: RealtimePublisher,
  conversationId: string,
  userIds: readonly string[],
  change: MembershipEvent['change'],
): Promise<void> {
  const occurredAt = new Date().toISOString();
  const events = userIds.map((userId): MembershipEvent => ({
    type: 'membership',
    conversationId,
    userId,
    change,
    occurredAt,
  }));
  await Promise.all([
    ...events.map((event) => publisher.membership(event)),
    ...events.map((event) => publisher.conversation(event)),
  ]);
}
