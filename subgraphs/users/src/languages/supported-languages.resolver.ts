import { SUPPORTED_LANGUAGES } from '@parley/common';
import { Query, Resolver } from 'type-graphql';
import { Language } from './language.type';

@Resolver()
export class SupportedLanguagesResolver {
  @Query(() => [Language])
  supportedLanguages(): Language[] {
    return SUPPORTED_LANGUAGES.map((language) => Object.assign(new Language(), language));
  }
}
