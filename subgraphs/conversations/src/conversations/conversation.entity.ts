import { defineEntity, p } from '@mikro-orm/core';

export const ConversationKinds = ['DIRECT', 'GROUP'] as const;
export type ConversationKind = (typeof ConversationKinds)[number];

export const ConversationSchema = defineEntity({
  name: 'ConversationEntity',
  tableName: 'conversation',
  properties: {
    id: p.uuid().primary(),
    kind: p.enum(['DIRECT', 'GROUP']),
    title: p.string().length(200).nullable(),
    /** For DIRECT only: the two member ids, sorted and joined, so a pair has one direct conversation. */
    directKey: p.string().length(80).nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ConversationEntity extends ConversationSchema.class {}
ConversationSchema.setClass(ConversationEntity);
