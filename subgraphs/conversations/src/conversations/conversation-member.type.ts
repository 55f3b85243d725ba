import { Field, Int, ObjectType } from 'type-graphql';
import { UserRef } from '../users/user.type';
import type { MemberRole, MembershipEntity } from './membership.entity';
import { MemberRoleEnum } from './enums';

@ObjectType('ConversationMember')
export class ConversationMember {
  @Field(() => UserRef)
  user!: UserRef;

  @Field(() => MemberRoleEnum)
  role!: MemberRole;

  @Field(() => Date)
  joinedAt!: Date;

  @Field(() => Int, { description: 'Highest seq this member has marked read, 0 when none.' })
  lastReadSeq!: number;

  static from(entity: MembershipEntity): ConversationMember {
    return Object.assign(new ConversationMember(), {
      user: Object.assign(new UserRef(), { id: entity.userId }),
      role: entity.role,
      joinedAt: entity.joinedAt,
      lastReadSeq: entity.lastReadSeq,
    });
  }
}
