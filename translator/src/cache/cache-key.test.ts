import { cacheKey, CACHE_KEY_PREFIX } from './cache-key';

describe('cacheKey', () => {
  it('is a prefixed sha256, the same for the same inputs', () => {
    const key = cacheKey('Bonjour', 'fr', 'en', 'opus-mt-fr-en');
    expect(key).toMatch(new RegExp(`^${CACHE_KEY_PREFIX}[0-9a-f]{64}$`));
    expect(cacheKey('Bonjour', 'fr', 'en', 'opus-mt-fr-en')).toBe(key);
  });

  it('changes with each of text, source, target and model', () => {
    const base = cacheKey('Bonjour', 'fr', 'en', 'opus-mt-fr-en');
    expect(cacheKey('Bonjour!', 'fr', 'en', 'opus-mt-fr-en')).not.toBe(base);
    expect(cacheKey('Bonjour', 'es', 'en', 'opus-mt-fr-en')).not.toBe(base);
    expect(cacheKey('Bonjour', 'fr', 'de', 'opus-mt-fr-en')).not.toBe(base);
    expect(cacheKey('Bonjour', 'fr', 'en', 'test-tiny')).not.toBe(base);
  });

  it('keeps fields apart: moving a separator between fields changes the key', () => {
    expect(cacheKey('a|fr', 'en', 'de', 'm')).not.toBe(cacheKey('a', 'fr|en', 'de', 'm'));
  });

  it('has a fixed length whatever the text', () => {
    expect(cacheKey('x'.repeat(4000), 'fr', 'en', 'm')).toHaveLength(cacheKey('', 'fr', 'en', 'm').length);
  });
});
