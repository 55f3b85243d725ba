/** Imported from '@parley/common/detect-language' (not the package root) so services that never detect do not load the n-gram tables. */
import { eld } from 'eld/medium';
import { SUPPORTED_LANGUAGES } from './languages';

/**
 * Offline language identification with ELD (Efficient Language Detector, n-gram based, maintained,
 * no network, no native code). Detection is restricted to the languages Parley supports, so the
 * answer is always one we can translate from.
 */
const detector = eld;
detector.setLanguageSubset(SUPPORTED_LANGUAGES.map((language) => language.code));

export interface DetectedLanguage {
  language: string;
  /** ELD's own judgement: false for short or ambiguous text. */
  reliable: boolean;
}

/** The most likely supported language of `text`, or null when nothing scores (digits, emoji, punctuation). */
export function detectLanguage(text: string): DetectedLanguage | null {
  const result = detector.detect(text);
  if (!result.language) return null;
  return { language: result.language, reliable: result.isReliable() };
}
