import type { ReadRealtimeEvent } from '@parley/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { UserRef } from '../users/user.type';

@ObjectType('ReadReceipt')
export class ReadReceipt {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => UserRef)
  user!: UserRef;

  @Field(() => Int)
  lastReadSeq!: number;

  static from(event: ReadRealtimeEvent): ReadReceipt {
    return Object.assign(new ReadReceipt(), {
      conversationId: event.conversationId,
      user: Object.assign(new UserRef(), { id: event.userId }),
      lastReadSeq: event.lastReadSeq,
    });
  }
}
