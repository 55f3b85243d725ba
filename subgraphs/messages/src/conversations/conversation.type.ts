import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The messages subgraph's part of a conversation (owned by the conversations subgraph): its
 * messages and lastSeq, contributed by ConversationMessagesResolver.
 */
@Directive('@key(fields: "id")')
@ObjectType('Conversation')
export class Conversation {
  @Field(() => ID)
  id!: string;

  static of(id: string): Conversation {
    return Object.assign(new Conversation(), { id });
  }
}
