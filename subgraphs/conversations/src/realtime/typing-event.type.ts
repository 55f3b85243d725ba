import type { TypingRealtimeEvent } from '@parley/common';
import { Field, ID, ObjectType } from 'type-graphql';
import { UserRef } from '../users/user.type';

@ObjectType('TypingEvent')
export class TypingEvent {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => UserRef)
  user!: UserRef;

  @Field(() => Boolean)
  isTyping!: boolean;

  static from(event: TypingRealtimeEvent): TypingEvent {
    return Object.assign(new TypingEvent(), {
      conversationId: event.conversationId,
      user: Object.assign(new UserRef(), { id: event.userId }),
      isTyping: event.isTyping,
    });
  }
}
