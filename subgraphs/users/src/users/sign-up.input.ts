import { Field, InputType } from 'type-graphql';
import { LanguageCodeScalar } from '@parley/common';

@InputType('SignUpInput')
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => LanguageCodeScalar)
  systemLanguage!: string;

  @Field(() => LanguageCodeScalar, { nullable: true, description: 'Defaults to systemLanguage.' })
  regionalLanguage?: string | null;
}
