import { defineEntity, p } from '@mikro-orm/core';

/**
 * The last seq handed out in a conversation. Incremented with an upsert in the transaction that
 * inserts the message: the row lock serialises concurrent senders of one conversation, and a
 * rolled-back send gives its number back, so seqs stay gapless.
 */
export const ConversationCounterSchema = defineEntity({
  name: 'ConversationCounterEntity',
  tableName: 'conversation_counter',
  properties: {
    conversationId: p.uuid().primary(),
    lastSeq: p.integer(),
  },
});

export class ConversationCounterEntity extends ConversationCounterSchema.class {}
ConversationCounterSchema.setClass(ConversationCounterEntity);
