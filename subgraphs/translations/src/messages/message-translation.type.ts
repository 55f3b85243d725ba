import { LanguageCodeScalar } from '@parley/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('MessageTranslation')
export class MessageTranslation {
  @Field(() => ID)
  messageId!: string;

  @Field(() => LanguageCodeScalar)
  sourceLanguage!: string;

  @Field(() => LanguageCodeScalar)
  targetLanguage!: string;

  @Field(() => String)
  translatedContent!: string;

  @Field(() => String, { description: 'Name of the model that produced it, e.g. opus-mt-fr-en' })
  translationModel!: string;

  @Field(() => Int, { description: 'The message version this translation was made from.' })
  messageVersion!: number;

  @Field(() => Boolean)
  fromCache!: boolean;

  @Field(() => Date)
  createdAt!: Date;
}
