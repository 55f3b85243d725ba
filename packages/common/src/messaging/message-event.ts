import { z } from 'zod';

/**
 * What the messages service publishes to RabbitMQ (through its outbox) whenever a message changes.
 * The event carries the current text so that consumers (the translator) need not call back; it is
 * internal to the backend and never reaches clients as such.
 */
export const MessageEventKinds = ['message.created', 'message.edited', 'message.deleted'] as const;
export type MessageEventKind = (typeof MessageEventKinds)[number];

export const messageEventSchema = z.object({
  /** The outbox row id: unique per event, so consumers can recognise a redelivery. */
  eventId: z.string().min(1),
  kind: z.enum(MessageEventKinds),
  messageId: z.uuid(),
  conversationId: z.uuid(),
  senderId: z.uuid(),
  seq: z.number().int().positive(),
  /** The message version this event describes (1 on creation, +1 per edit). */
  version: z.number().int().positive(),
  /** The text of `version`; '' for message.deleted. */
  content: z.string(),
  originalLanguage: z.string().min(2).max(8),
  /** ISO-8601. */
  occurredAt: z.string(),
});

export type MessageEvent = z.infer<typeof messageEventSchema>;

/** Routing key of an event on the MESSAGE_EVENTS_EXCHANGE topic exchange: the kind itself. */
export const messageEventRoutingKey = (kind: MessageEventKind): string => kind;
