import { Field, ID, InputType } from 'type-graphql';
import type { ConversationKind } from './conversation.entity';
import { ConversationKindEnum } from './enums';

@InputType('CreateConversationInput')
export class CreateConversationInput {
  @Field(() => ConversationKindEnum)
  kind!: ConversationKind;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => [ID], { description: 'Other members; the caller becomes OWNER.' })
  memberIds!: string[];
}
