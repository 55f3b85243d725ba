import { GraphQLError } from 'graphql';
import { codePointLength, MAX_TEXT_CHARACTERS } from '@parley/common';
import { checkClientMessageId, checkLanguage, checkPageSize, normalizeContent } from './validate';

const failure = (run: () => unknown): { code: unknown; field: unknown } => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { extensions } = error as GraphQLError;
    return { code: extensions.code, field: extensions.field };
  }
  throw new Error('expected a BAD_USER_INPUT error');
};

describe('normalizeContent', () => {
  it('trims', () => {
    expect(normalizeContent('  bonjour \n', 'content')).toBe('bonjour');
  });

  it('refuses empty and blank text, naming the field', () => {
    expect(failure(() => normalizeContent('', 'input.content'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.content',
    });
    expect(failure(() => normalizeContent(' \t\n ', 'content')).code).toBe('BAD_USER_INPUT');
  });

  it('counts code points: 4000 emoji pass, 4001 characters do not', () => {
    const emoji = '😀'.repeat(MAX_TEXT_CHARACTERS);
    expect(emoji.length).toBe(2 * MAX_TEXT_CHARACTERS);
    expect(normalizeContent(emoji, 'content')).toBe(emoji);
    expect(failure(() => normalizeContent('a'.repeat(MAX_TEXT_CHARACTERS + 1), 'content')).code).toBe('BAD_USER_INPUT');
  });

  it('measures the trimmed text', () => {
    expect(normalizeContent(`  ${'a'.repeat(MAX_TEXT_CHARACTERS)}  `, 'content')).toHaveLength(MAX_TEXT_CHARACTERS);
  });

  it('stores an unpaired surrogate as U+FFFD, as it can be stored and sent in a JSON event', () => {
    expect(normalizeContent('abc \uDC00 def', 'content')).toBe('abc \uFFFD def');
    expect(checkClientMessageId('key\uD800', 'clientMessageId')).toBe('key\uFFFD');
  });

  it('refuses NUL characters', () => {
    expect(failure(() => normalizeContent('a\u0000b', 'content')).code).toBe('BAD_USER_INPUT');
  });
});

describe('checkClientMessageId', () => {
  it('keeps the key exactly', () => {
    expect(checkClientMessageId(' k-1 ', 'input.clientMessageId')).toBe(' k-1 ');
  });

  it('refuses empty and over-long keys', () => {
    expect(failure(() => checkClientMessageId('', 'input.clientMessageId')).field).toBe('input.clientMessageId');
    expect(failure(() => checkClientMessageId('x'.repeat(201), 'input.clientMessageId')).code).toBe('BAD_USER_INPUT');
    expect(checkClientMessageId('x'.repeat(200), 'input.clientMessageId')).toHaveLength(200);
  });
});

describe('checkLanguage', () => {
  it('accepts supported codes and refuses others', () => {
    expect(checkLanguage('fr', 'input.originalLanguage')).toBe('fr');
    expect(failure(() => checkLanguage('xx', 'input.originalLanguage')).field).toBe('input.originalLanguage');
    expect(failure(() => checkLanguage('FR', 'input.originalLanguage')).code).toBe('BAD_USER_INPUT');
  });
});

describe('checkPageSize', () => {
  it('bounds page sizes', () => {
    expect(checkPageSize(1, 1, 200, 'last')).toBe(1);
    expect(checkPageSize(200, 1, 200, 'last')).toBe(200);
    expect(failure(() => checkPageSize(0, 1, 200, 'last')).field).toBe('last');
    expect(failure(() => checkPageSize(201, 1, 200, 'last')).code).toBe('BAD_USER_INPUT');
  });
});

it('codePointLength counts astral characters once', () => {
  expect(codePointLength('a😀b')).toBe(3);
});
