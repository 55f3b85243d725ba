import { BadUserInputError } from '@parley/common';
import { checkLanguage, checkPassword, normalizeDisplayName, normalizeEmail } from './validate';

describe('users input validation', () => {
  it('normalizes emails and rejects what is not one', () => {
    expect(normalizeEmail('  Ada@Example.ORG ')).toBe('ada@example.org');
    for (const bad of ['', 'ada', 'ada@', '@example.org', 'ada@example', 'a da@example.org', 'ada@@example.org']) {
      expect(() => normalizeEmail(bad)).toThrow(BadUserInputError);
    }
  });

  it('wants passwords of 8 characters or more', () => {
    expect(() => checkPassword('1234567')).toThrow(/at least 8/);
    expect(() => checkPassword('12345678')).not.toThrow();
  });

  it('trims display names and refuses empty ones', () => {
    expect(normalizeDisplayName('  Ada ')).toBe('Ada');
    expect(() => normalizeDisplayName('   ')).toThrow(BadUserInputError);
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
