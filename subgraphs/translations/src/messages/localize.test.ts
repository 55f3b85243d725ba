import {
  currentTranslations,
  localize,
  viewerLanguage,
  type MessageSnapshot,
  type StoredTranslation,
} from './localize';

const message: MessageSnapshot = { content: 'Hello', originalLanguage: 'en', version: 2, deletedAt: null };

const row = (overrides: Partial<StoredTranslation> = {}): StoredTranslation => ({
  targetLanguage: 'fr',
  messageVersion: 2,
  status: 'TRANSLATED',
  translatedContent: 'Bonjour',
  translationModel: 'opus-mt-en-fr',
  ...overrides,
});

describe('viewerLanguage', () => {
  it('is null (the original) when auto-translate is off, whatever the preferred language', () => {
    expect(viewerLanguage({ preferredLanguage: 'fr', autoTranslateEnabled: false }, 'en')).toBeNull();
  });

  it('is null when the preferred language is the original language', () => {
    expect(viewerLanguage({ preferredLanguage: 'en', autoTranslateEnabled: true }, 'en')).toBeNull();
  });

  it('is the preferred language otherwise', () => {
    expect(viewerLanguage({ preferredLanguage: 'ja', autoTranslateEnabled: true }, 'en')).toBe('ja');
  });
});

describe('localize', () => {
  it('returns the original for no target and for the original language', () => {
    const original = { language: 'en', content: 'Hello', status: 'ORIGINAL', isOriginal: true };
    expect(localize(message, null, [row()])).toEqual(original);
    expect(localize(message, 'en', [row()])).toEqual(original);
  });

  it('returns the stored translation of the current version', () => {
    expect(localize(message, 'fr', [row({ targetLanguage: 'de' }), row()])).toEqual({
      language: 'fr',
      content: 'Bonjour',
      status: 'TRANSLATED',
      isOriginal: false,
    });
  });

  it('is FAILED with the original text when the row records a failure', () => {
    const failed = row({ status: 'FAILED', translatedContent: null, translationModel: null });
    expect(localize(message, 'fr', [failed])).toEqual({
      language: 'fr',
      content: 'Hello',
      status: 'FAILED',
      isOriginal: true,
    });
  });

  it('is PENDING with the original text when only another version or language is stored', () => {
    const rows = [row({ messageVersion: 1 }), row({ targetLanguage: 'de' })];
    expect(localize(message, 'fr', rows)).toEqual({
      language: 'fr',
      content: 'Hello',
      status: 'PENDING',
      isOriginal: true,
    });
  });

  it('is an empty original once deleted, whatever the target', () => {
    const deleted = { ...message, content: '', deletedAt: new Date() };
    const empty = { language: 'en', content: '', status: 'ORIGINAL', isOriginal: true };
    expect(localize(deleted, 'fr', [row()])).toEqual(empty);
    expect(localize(deleted, null, [])).toEqual(empty);
  });
});

describe('currentTranslations', () => {
  it('keeps TRANSLATED rows of the current version, ordered by target language', () => {
    const rows = [
      row({ targetLanguage: 'ja' }),
      row({ targetLanguage: 'de', status: 'FAILED', translatedContent: null }),
      row({ targetLanguage: 'es', messageVersion: 1 }),
      row({ targetLanguage: 'fr' }),
    ];
    expect(currentTranslations(message, rows).map((r) => r.targetLanguage)).toEqual(['fr', 'ja']);
  });

  it('is empty for a deleted message', () => {
    expect(currentTranslations({ ...message, deletedAt: new Date() }, [row()])).toEqual([]);
  });
});
