import { Field, ObjectType } from 'type-graphql';
import { LanguageCodeScalar } from '@parley/common';

@ObjectType('Language')
export class Language {
  @Field(() => LanguageCodeScalar)
  code!: string;

  @Field(() => String, { description: 'English name, e.g. French' })
  name!: string;

  @Field(() => String, { description: 'Name in the language itself, e.g. Français' })
  nativeName!: string;
}
