import { Field, InputType } from 'type-graphql';
import { LanguageCodeScalar } from '@parley/common';

@InputType('LanguagePreferencesInput', { description: 'Only the fields given are changed.' })
export class LanguagePreferencesInput {
  @Field(() => LanguageCodeScalar, { nullable: true })
  systemLanguage?: string | null;

  @Field(() => LanguageCodeScalar, { nullable: true })
  regionalLanguage?: string | null;

  @Field(() => LanguageCodeScalar, { nullable: true })
  customDestinationLanguage?: string | null;

  @Field(() => Boolean, { nullable: true })
  autoTranslateEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  translateToSystemLanguage?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  translateToRegionalLanguage?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  useCustomDestination?: boolean | null;
}
