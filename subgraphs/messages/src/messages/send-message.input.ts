import { LanguageCodeScalar } from '@parley/common';
import { Field, ID, InputType } from 'type-graphql';

@InputType('SendMessageInput')
export class SendMessageInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => String)
  content!: string;

  @Field(() => String, {
    description: 'Idempotency key chosen by the client: the same key from the same sender returns the same message.',
  })
  clientMessageId!: string;

  @Field(() => LanguageCodeScalar, { nullable: true, description: 'Detected from the text when absent.' })
  originalLanguage?: string | null;
}
