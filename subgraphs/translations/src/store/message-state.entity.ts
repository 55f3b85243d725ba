import { defineEntity, p } from '@mikro-orm/core';

/**
 * The translator's own record of each message's newest known version, built from the message
 * events (it never reads the messages schema). Events can arrive out of order or twice, so the
 * version only moves forward; a translation is written only while it matches the current version
 * and the message is not deleted.
 */
export const MessageStateSchema = defineEntity({
  name: 'MessageStateEntity',
  tableName: 'message_state',
  properties: {
    messageId: p.uuid().primary(),
    conversationId: p.uuid(),
    seq: p.integer(),
    currentVersion: p.integer(),
    originalLanguage: p.string().length(8),
    deletedAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});

export class MessageStateEntity extends MessageStateSchema.class {}
MessageStateSchema.setClass(MessageStateEntity);
