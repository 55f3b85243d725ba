import { z } from 'zod';

/**
 * What services announce on a conversation's Redis channel for the subscription layer. Each event
 * names entities by id and carries no text: every subscriber resolves what it selected through
 * the federated graph with its own identity. Delivery is best-effort (pub/sub); clients catch up
 * with `Conversation.messagesSince` after a gap.
 */
const base = {
  conversationId: z.uuid(),
  /** ISO-8601. */
  occurredAt: z.string(),
};

export const messageChangeEventSchema = z.object({
  ...base,
  type: z.enum(['message.created', 'message.edited', 'message.deleted']),
  messageId: z.uuid(),
  seq: z.number().int().positive(),
  /** The message version this event is about (1 when created, +1 per edit). */
  version: z.number().int().positive(),
  originalLanguage: z.string(),
  /**
   * Absent only where a router re-announces a message it knows from a translation event alone (an
   * on-demand translation of a message older than its feed): nothing downstream reads it.
   */
  senderId: z.uuid().optional(),
});

export const typingEventSchema = z.object({
  ...base,
  type: z.literal('typing'),
  userId: z.uuid(),
  isTyping: z.boolean(),
  /** A `true` lapses by itself after this long without renewal. */
  ttlMs: z.number().int().positive(),
});

export const readEventSchema = z.object({
  ...base,
  type: z.literal('read'),
  userId: z.uuid(),
  lastReadSeq: z.number().int().min(0),
});

export const membershipEventSchema = z.object({
  ...base,
  type: z.literal('membership'),
  userId: z.uuid(),
  change: z.enum(['joined', 'left']),
});

export const conversationEventSchema = z.discriminatedUnion('type', [
  messageChangeEventSchema,
  typingEventSchema,
  readEventSchema,
  membershipEventSchema,
]);

export type MessageChangeEvent = z.infer<typeof messageChangeEventSchema>;
export type TypingRealtimeEvent = z.infer<typeof typingEventSchema>;
export type ReadRealtimeEvent = z.infer<typeof readEventSchema>;
export type MembershipEvent = z.infer<typeof membershipEventSchema>;
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

/** Redis pub/sub channel of one conversation's realtime events. */
export const conversationEventChannel = (conversationId: string): string => `parley.conversation.${conversationId}`;

/**
 * Every membership event of every conversation, besides its conversation's channel: services that
 * cache who is a member (the messages subgraph) invalidate on it without receiving every message,
 * typing and read event of every conversation.
 */
export const MEMBERSHIP_CHANNEL = 'parley.membership';

/** A user changed settings that decide their language variant; routers re-read them. */
export const userPreferencesEventSchema = z.object({
  type: z.literal('preferences.changed'),
  userId: z.uuid(),
  occurredAt: z.string(),
});
export type UserPreferencesEvent = z.infer<typeof userPreferencesEventSchema>;

export const USER_PREFERENCES_CHANNEL = 'parley.user-preferences';
