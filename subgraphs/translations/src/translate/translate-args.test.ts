import { GraphQLError } from 'graphql';
import { MAX_TEXT_CHARACTERS } from '@parley/common';
import { parseTranslateArgs } from './translate-args';

function rejection(run: () => unknown): { code: unknown; field: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { extensions } = error as GraphQLError;
    return { code: extensions.code, field: extensions.field };
  }
  throw new Error('expected a rejection');
}

describe('parseTranslateArgs', () => {
  it('trims the text and passes the languages through', () => {
    expect(parseTranslateArgs('  Bonjour \n', 'en', 'fr')).toEqual({
      text: 'Bonjour',
      targetLanguage: 'en',
      sourceLanguage: 'fr',
    });
  });

  it('leaves sourceLanguage out when not given, so the translator detects it', () => {
    expect(parseTranslateArgs('Bonjour', 'en', null)).toEqual({ text: 'Bonjour', targetLanguage: 'en' });
    expect(parseTranslateArgs('Bonjour', 'en', undefined)).toEqual({ text: 'Bonjour', targetLanguage: 'en' });
  });

  it('refuses an empty or blank text', () => {
    expect(rejection(() => parseTranslateArgs(' \t\n', 'en', null))).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
  });

  it('counts code points, not UTF-16 units', () => {
    const emoji = '😀'.repeat(MAX_TEXT_CHARACTERS);
    expect(parseTranslateArgs(emoji, 'en', null).text).toBe(emoji);
    expect(rejection(() => parseTranslateArgs(`${emoji}a`, 'en', null))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'text',
    });
  });

  it('refuses unsupported languages, naming the argument', () => {
    expect(rejection(() => parseTranslateArgs('Hi', 'xx', null))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'targetLanguage',
    });
    expect(rejection(() => parseTranslateArgs('Hi', 'fr', 'EN'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'sourceLanguage',
    });
  });
});
