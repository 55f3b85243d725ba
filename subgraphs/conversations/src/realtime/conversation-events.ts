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
 * Announces committed membership changes, one event per user, so routers start or stop deliveries
 * of the conversation's events to them. Called after the commit; never throws.
 */
export async function publishMembership(
  publisher: RealtimePublisher,
  conversationId: string,
  userIds: readonly string[],
  change: MembershipEvent['change'],
): Promise<void> {
  const occurredAt = new Date().toISOString();
  await Promise.all(
    userIds.map((userId) => publisher.conversation({ type: 'membership', conversationId, userId, change, occurredAt })),
  );
}
