import { defineEntity, p } from '@mikro-orm/core';

export const StoredTranslationStatuses = ['TRANSLATED', 'FAILED'] as const;
export type StoredTranslationStatus = (typeof StoredTranslationStatuses)[number];

/**
 * One target language of one message version. TRANSLATED rows are the contract's
 * MessageTranslation; a FAILED row records that the translator gave up (no model, or the message
 * was dead-lettered), so readers can tell FAILED from PENDING. The primary key makes every write an
 * idempotent upsert: a redelivered request never adds a second row.
 */
export const MessageTranslationSchema = defineEntity({
  name: 'MessageTranslationEntity',
  tableName: 'message_translation',
  properties: {
    messageId: p.uuid().primary(),
    targetLanguage: p.string().length(8).primary(),
    messageVersion: p.integer().primary(),
    conversationId: p.uuid().index(),
    sourceLanguage: p.string().length(8),
    status: p.enum(['TRANSLATED', 'FAILED']),
    translatedContent: p.text().nullable(),
    translationModel: p.string().length(200).nullable(),
    fromCache: p.boolean().default(false),
    failureReason: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class MessageTranslationEntity extends MessageTranslationSchema.class {}
MessageTranslationSchema.setClass(MessageTranslationEntity);
