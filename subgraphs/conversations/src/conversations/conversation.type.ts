import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { ConversationEntity, ConversationKind } from './conversation.entity';
import { ConversationKindEnum } from './enums';

@Directive('@key(fields: "id")')
@ObjectType('Conversation')
export class Conversation {
  @Field(() => ID)
  id!: string;

  @Field(() => ConversationKindEnum)
  kind!: ConversationKind;

  @Field(() => String, { nullable: true })
  title!: string | null;

  createdAt!: Date;

  static from(entity: ConversationEntity): Conversation {
    return Object.assign(new Conversation(), {
      id: entity.id,
      kind: entity.kind,
      title: entity.title ?? null,
      createdAt: entity.createdAt,
    });
  }
}
