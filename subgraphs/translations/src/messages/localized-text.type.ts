import { LanguageCodeScalar } from '@parley/common';
import { Field, ObjectType } from 'type-graphql';
import { TranslationStatus } from './translation-status';

/**
 * One language variant of a message. `language` is the language the variant was asked for (the
 * argument, or the viewer's preferredLanguage), except for ORIGINAL where it is the original
 * language; `isOriginal` says whether `content` is the original text, which it also is while the
 * translation is PENDING or FAILED.
 */
@ObjectType('LocalizedText')
export class LocalizedText {
  @Field(() => LanguageCodeScalar)
  language!: string;

  @Field(() => String)
  content!: string;

  @Field(() => TranslationStatus)
  status!: TranslationStatus;

  @Field(() => Boolean)
  isOriginal!: boolean;

  static of(value: {
    language: string;
    content: string;
    status: TranslationStatus;
    isOriginal: boolean;
  }): LocalizedText {
    return Object.assign(new LocalizedText(), value);
  }
}
