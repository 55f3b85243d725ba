import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LanguageCodeScalar } from '@parley/common';
import { preferredLanguage } from './preferred-language';
import type { UserEntity } from './user.entity';

@Directive('@key(fields: "id")')
@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => LanguageCodeScalar)
  systemLanguage!: string;

  @Field(() => LanguageCodeScalar)
  regionalLanguage!: string;

  @Field(() => LanguageCodeScalar, { nullable: true })
  customDestinationLanguage!: string | null;

  @Field(() => Boolean)
  autoTranslateEnabled!: boolean;

  @Field(() => Boolean)
  translateToSystemLanguage!: boolean;

  @Field(() => Boolean)
  translateToRegionalLanguage!: boolean;

  @Field(() => Boolean)
  useCustomDestination!: boolean;

  @Field(() => LanguageCodeScalar, {
    description: 'The language this user reads messages in, by the resolution rule in README.md.',
  })
  preferredLanguage!: string;

  static from(entity: UserEntity): User {
    return Object.assign(new User(), {
      id: entity.id,
      displayName: entity.displayName,
      systemLanguage: entity.systemLanguage,
      regionalLanguage: entity.regionalLanguage,
      customDestinationLanguage: entity.customDestinationLanguage ?? null,
      autoTranslateEnabled: entity.autoTranslateEnabled,
      translateToSystemLanguage: entity.translateToSystemLanguage,
      translateToRegionalLanguage: entity.translateToRegionalLanguage,
      useCustomDestination: entity.useCustomDestination,
      preferredLanguage: preferredLanguage(entity),
    });
  }
}
