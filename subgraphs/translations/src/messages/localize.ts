import { TranslationStatus } from './translation-status';

export interface MessageSnapshot {
  content: string;
  originalLanguage: string;
  version: number;
  deletedAt: Date | null;
}

/** What the readers need of a stored row (MessageTranslationEntity). */
export interface StoredTranslation {
  targetLanguage: string;
  messageVersion: number;
  status: 'TRANSLATED' | 'FAILED';
  translatedContent?: string | null;
  translationModel?: string | null;
}

export interface ViewerPreferences {
  preferredLanguage: string;
  autoTranslateEnabled: boolean;
}

export interface Localized {
  language: string;
  content: string;
  status: TranslationStatus;
  isOriginal: boolean;
}

/** The contract's language rule: the language the viewer reads `originalLanguage` in, null for the original. */
export function viewerLanguage(viewer: ViewerPreferences, originalLanguage: string): string | null {
  if (!viewer.autoTranslateEnabled || viewer.preferredLanguage === originalLanguage) return null;
  return viewer.preferredLanguage;
}

/**
 * The message in `target` (null: the original). Without a stored translation of the current
 * version the content stays the original and the status says why (PENDING or FAILED), while
 * `language` keeps naming the language that was asked for.
 */
export function localize(
  message: MessageSnapshot,
  target: string | null,
  rows: readonly StoredTranslation[],
): Localized {
  if (message.deletedAt) {
    return { language: message.originalLanguage, content: '', status: TranslationStatus.ORIGINAL, isOriginal: true };
  }
  if (target === null || target === message.originalLanguage) {
    return {
      language: message.originalLanguage,
      content: message.content,
      status: TranslationStatus.ORIGINAL,
      isOriginal: true,
    };
  }
  const row = rows.find((r) => r.targetLanguage === target && r.messageVersion === message.version);
  if (!row) return { language: target, content: message.content, status: TranslationStatus.PENDING, isOriginal: true };
  if (row.status === 'TRANSLATED' && row.translatedContent != null) {
    return {
      language: target,
      content: row.translatedContent,
      status: TranslationStatus.TRANSLATED,
      isOriginal: false,
    };
  }
  // FAILED, or a TRANSLATED row without text, which the translator never writes: nothing to show but the original.
  return { language: target, content: message.content, status: TranslationStatus.FAILED, isOriginal: true };
}

/** The TRANSLATED rows of the current version, by target language; none once the message is deleted. */
export function currentTranslations<T extends StoredTranslation>(
  message: Pick<MessageSnapshot, 'version' | 'deletedAt'>,
  rows: readonly T[],
): T[] {
  if (message.deletedAt) return [];
  return rows
    .filter(
      (row) =>
        row.status === 'TRANSLATED' &&
        row.messageVersion === message.version &&
        row.translatedContent != null &&
        row.translationModel != null,
    )
    .sort((a, b) => a.targetLanguage.localeCompare(b.targetLanguage));
}
