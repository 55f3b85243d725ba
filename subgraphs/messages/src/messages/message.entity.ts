import { defineEntity, p } from '@mikro-orm/core';

/**
 * A message, current version only. `seq` comes from the conversation's counter row in the same
 * transaction; (sender, clientMessageId) is unique so a repeated send cannot store a second row.
 */
export const MessageSchema = defineEntity({
  name: 'MessageEntity',
  tableName: 'message',
  uniques: [
    { name: 'message_conversation_id_seq_unique', properties: ['conversationId', 'seq'] },
    { name: 'message_sender_id_client_message_id_unique', properties: ['senderId', 'clientMessageId'] },
  ],
  properties: {
    id: p.uuid().primary(),
    conversationId: p.uuid(),
    senderId: p.uuid(),
    seq: p.integer(),
    clientMessageId: p.string().length(200),
    content: p.text(),
    originalLanguage: p.string().length(8),
    version: p.integer().default(1),
    createdAt: p.datetime(),
    editedAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
  },
});

export class MessageEntity extends MessageSchema.class {}
MessageSchema.setClass(MessageEntity);
