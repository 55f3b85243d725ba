import { defineEntity, p } from '@mikro-orm/core';

export const MemberRoles = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export type MemberRole = (typeof MemberRoles)[number];

/** A current member. Leaving deletes the row; joinedAt is when this membership began. */
export const MembershipSchema = defineEntity({
  name: 'MembershipEntity',
  tableName: 'membership',
  properties: {
    conversationId: p.uuid().primary(),
    userId: p.uuid().primary().index(),
    role: p.enum(['OWNER', 'ADMIN', 'MEMBER']),
    joinedAt: p.datetime(),
    lastReadSeq: p.integer().default(0),
  },
});

export class MembershipEntity extends MembershipSchema.class {}
MembershipSchema.setClass(MembershipEntity);
