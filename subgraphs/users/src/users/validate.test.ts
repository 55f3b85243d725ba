import { BadUserInputError } from '@parley/common';
import { checkLanguage, checkPassword, normalizeDisplayName, normalizeEmail } from './validate';

describe('users input validation', () => {
  it('normalizes emails and rejects what is not one', () => {
    expect(normalizeEmail('  Ada@Example.ORG ')).toBe('ada@example.org');
    for (const bad of ['', 'ada', 'ada@', '@example.org', 'ada@example', 'a da@example.org', 'ada@@example.org']) {
      expect(() => normalizeEmail(bad)).toThrow(BadUserInputError);
    }
  });

  it('holds emails to the lengths SMTP allows and refuses control characters', () => {
    expect(normalizeEmail(`${'a'.repeat(64)}@example.org`)).toHaveLength(76);
    expect(() => normalizeEmail(`${'a'.repeat(65)}@example.org`)).toThrow(BadUserInputError);
    const longDomain = `${'d'.repeat(60)}.`.repeat(5); // 312 characters in all
    expect(() => normalizeEmail(`ada@${longDomain}org`)).toThrow(BadUserInputError);
    expect(() => normalizeEmail('a\u0000x@example.org')).toThrow(BadUserInputError);
    expect(() => normalizeEmail('a\u0007x@example.org')).toThrow(BadUserInputError);
  });

  it('wants passwords of 8 characters or more', () => {
    expect(() => checkPassword('1234567')).toThrow(/at least 8/);
    expect(() => checkPassword('12345678')).not.toThrow();
  });

  it('counts password characters as a person does: 4 emoji are 4 characters, not 8', () => {
    expect(() => checkPassword('😀😀😀😀')).toThrow(/at least 8/);
    expect(() => checkPassword('😀'.repeat(8))).not.toThrow();
  });

  it('trims display names and refuses empty ones', () => {
    expect(normalizeDisplayName('  Ada ')).toBe('Ada');
    expect(() => normalizeDisplayName('   ')).toThrow(BadUserInputError);
  });

  it('refuses NUL in a display name and stores a lone surrogate as U+FFFD', () => {
    expect(() => normalizeDisplayName('a\u0000b')).toThrow(BadUserInputError);
    expect(normalizeDisplayName('a\uD800b')).toBe('a\uFFFDb');
  });

  it('accepts only supported languages, naming the field', () => {
    expect(checkLanguage('fr', 'systemLanguage')).toBe('fr');
    try {
      checkLanguage('xx', 'systemLanguage');
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(BadUserInputError);
      expect((error as BadUserInputError).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'systemLanguage',
      });
    }
  });
});
