import { registerEnumType } from 'type-graphql';

export const TranslationStatus = {
  ORIGINAL: 'ORIGINAL',
  TRANSLATED: 'TRANSLATED',
  PENDING: 'PENDING',
  FAILED: 'FAILED',
} as const;
export type TranslationStatus = (typeof TranslationStatus)[keyof typeof TranslationStatus];

registerEnumType(TranslationStatus, {
  name: 'TranslationStatus',
  valuesConfig: {
    ORIGINAL: { description: 'The text is the original message (same language, or auto-translate is off).' },
    TRANSLATED: { description: 'The text is a stored machine translation of the current message version.' },
    PENDING: { description: 'The translation is not stored yet; the text is the original.' },
    FAILED: { description: 'Translation failed or no model serves this language pair; the text is the original.' },
  },
});
