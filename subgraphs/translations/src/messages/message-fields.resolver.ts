import { BadUserInputError, isSupportedLanguage, LanguageCodeScalar, quoted } from '@parley/common';
import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireUserId, type TranslationsContext } from '../context';
import { currentTranslations, localize, viewerLanguage, type MessageSnapshot } from './localize';
import { LocalizedText } from './localized-text.type';
import { MessageTranslation } from './message-translation.type';
import { Message } from './message.type';
import { TranslationStatus } from './translation-status';

@Resolver(() => Message)
export class MessageFieldsResolver {
  @Directive('@requires(fields: "content originalLanguage version deletedAt")')
  @FieldResolver(() => LocalizedText, {
    description: [
      "The message in one language. Without `language` it is the viewer's variant:",
      "the viewer's preferredLanguage, or the original when the viewer's",
      'autoTranslateEnabled is false.',
    ].join('\n'),
  })
  async text(
    @Root() represented: Message,
    @Arg('language', () => LanguageCodeScalar, { nullable: true }) language: string | null | undefined,
    @Ctx() ctx: TranslationsContext,
  ): Promise<LocalizedText> {
    const userId = requireUserId(ctx);
    const message = withText(represented);
    if (language != null && !isSupportedLanguage(language)) {
      throw new BadUserInputError(`Unsupported language code: ${quoted(language)}`, 'language');
    }
    if (message.deletedAt) return LocalizedText.of(localize(message, null, []));
    const target = language ?? viewerLanguage(await ctx.viewer(), message.originalLanguage);
    if (target === null || target === message.originalLanguage) return LocalizedText.of(localize(message, null, []));
    const rows = await ctx.loaders.translationsByVersion.load({ messageId: message.id, version: message.version });
    const localized = localize(message, target, rows);
    // No row yet: make sure a job exists (e.g. a language nobody in the conversation read when it
    // was sent). Claimed once per (message, version, language); the read does not wait for it.
    if (localized.status === TranslationStatus.PENDING && ctx.config.ON_DEMAND_TRANSLATIONS) {
      ctx.translationRequests.request(message, target, userId);
    }
    return LocalizedText.of(localized);
  }

  @Directive('@requires(fields: "version deletedAt")')
  @FieldResolver(() => [MessageTranslation], { description: 'Every stored translation of the current version.' })
  async translations(@Root() message: Message, @Ctx() ctx: TranslationsContext): Promise<MessageTranslation[]> {
    requireUserId(ctx);
    if (message.deletedAt) return [];
    const rows = await ctx.loaders.translationsByVersion.load({ messageId: message.id, version: message.version });
    return currentTranslations(message, rows).map((row) =>
      Object.assign(new MessageTranslation(), {
        messageId: row.messageId,
        sourceLanguage: row.sourceLanguage,
        targetLanguage: row.targetLanguage,
        translatedContent: row.translatedContent,
        translationModel: row.translationModel,
        messageVersion: row.messageVersion,
        fromCache: row.fromCache,
        createdAt: row.createdAt,
      }),
    );
  }
}

/** The message as `text` needs it: its @requires fields, which the router always sends for `text`. */
function withText(message: Message): Message & MessageSnapshot {
  const { content, originalLanguage } = message;
  if (typeof content !== 'string' || typeof originalLanguage !== 'string') {
    throw new Error('Message representation lacks content or originalLanguage');
  }
  return Object.assign(message, { content, originalLanguage });
}
