import {
  BadUserInputError,
  codePointLength,
  isSupportedLanguage,
  MAX_TEXT_CHARACTERS,
  quoted,
  wellFormed,
  type TranslateRequest,
} from '@parley/common';

/**
 * Checks Query.translate's arguments before anything is spent on them. The text is trimmed (what
 * is sent and what is measured): surrounding blanks carry nothing to translate.
 */
export function parseTranslateArgs(
  text: string,
  targetLanguage: string,
  sourceLanguage: string | null | undefined,
): TranslateRequest {
  const trimmed = wellFormed(text).trim();
  if (!trimmed) throw new BadUserInputError('Text must not be empty', 'text');
  if (codePointLength(trimmed) > MAX_TEXT_CHARACTERS) {
    throw new BadUserInputError(`Text must be at most ${MAX_TEXT_CHARACTERS} characters`, 'text');
  }
  if (!isSupportedLanguage(targetLanguage)) {
    throw new BadUserInputError(`Unsupported language code: ${quoted(targetLanguage)}`, 'targetLanguage');
  }
  if (sourceLanguage == null) return { text: trimmed, targetLanguage };
  if (!isSupportedLanguage(sourceLanguage)) {
    throw new BadUserInputError(`Unsupported language code: ${quoted(sourceLanguage)}`, 'sourceLanguage');
  }
  return { text: trimmed, targetLanguage, sourceLanguage };
}
