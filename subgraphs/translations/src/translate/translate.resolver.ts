import { LanguageCodeScalar } from '@parley/common';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireUserId, type TranslationsContext } from '../context';
import { parseTranslateArgs } from './translate-args';
import { TranslationResult } from './translation-result.type';

const RATE_WINDOW_SECONDS = 60;

/** The model name of a text returned as it is because source and target are the same language. */
export const IDENTITY_MODEL = 'identity';

@Resolver()
export class TranslateResolver {
  @Query(() => TranslationResult)
  async translate(
    @Arg('text', () => String) text: string,
    @Arg('targetLanguage', () => LanguageCodeScalar) targetLanguage: string,
    @Arg('sourceLanguage', () => LanguageCodeScalar, { nullable: true }) sourceLanguage: string | null | undefined,
    @Ctx() ctx: TranslationsContext,
  ): Promise<TranslationResult> {
    const userId = requireUserId(ctx);
    const request = parseTranslateArgs(text, targetLanguage, sourceLanguage);
    await ctx.rateLimiter.consume(userId, {
      limit: ctx.config.TRANSLATE_RATE_LIMIT,
      windowSeconds: RATE_WINDOW_SECONDS,
    });
    if (request.sourceLanguage === request.targetLanguage) {
      return TranslationResult.from({
        sourceLanguage: request.targetLanguage,
        targetLanguage: request.targetLanguage,
        translatedContent: request.text,
        translationModel: IDENTITY_MODEL,
        fromCache: false,
      });
    }
    return TranslationResult.from(await ctx.translator.translate(request, ctx.identity));
  }
}
