import { LanguageCodeScalar, type TranslateResponse } from '@parley/common';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('TranslationResult')
export class TranslationResult {
  @Field(() => LanguageCodeScalar)
  sourceLanguage!: string;

  @Field(() => LanguageCodeScalar)
  targetLanguage!: string;

  @Field(() => String)
  translatedContent!: string;

  @Field(() => String)
  translationModel!: string;

  @Field(() => Boolean)
  fromCache!: boolean;

  static from(result: TranslateResponse): TranslationResult {
    return Object.assign(new TranslationResult(), {
      sourceLanguage: result.sourceLanguage,
      targetLanguage: result.targetLanguage,
      translatedContent: result.translatedContent,
      translationModel: result.translationModel,
      fromCache: result.fromCache,
    });
  }
}
