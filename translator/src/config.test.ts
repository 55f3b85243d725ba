import { ConfigError } from '@parley/common';
import { loadTranslatorConfig } from './config';
import { MODELS_DIR } from './models/load-seq2seq';

describe('loadTranslatorConfig', () => {
  it('fills the documented defaults', () => {
    expect(loadTranslatorConfig({})).toMatchObject({
      TRANSLATOR_HOST: '127.0.0.1',
      TRANSLATOR_PORT: 4006,
      TRANSLATION_MODELS: 'basic',
      MODELS_DIR,
      TRANSLATION_BATCH_SIZE: 16,
      TRANSLATION_BATCH_WINDOW_MS: 10,
      TRANSLATOR_PREFETCH: 64,
      MAX_LOADED_MODELS: 2,
      TRANSLATION_MAX_NEW_TOKENS: 256,
      AMQP_PREFIX: '',
      TRANSLATION_CACHE_TTL_SECONDS: 7 * 24 * 3600,
      TRANSLATION_REQUEST_TTL_SECONDS: 60,
      USERS_URL: 'http://127.0.0.1:4001/graphql',
      CONVERSATIONS_URL: 'http://127.0.0.1:4002/graphql',
    });
  });

  it('reports every bad value at once', () => {
    expect(() => loadTranslatorConfig({ TRANSLATION_MODELS: 'huge', TRANSLATION_BATCH_SIZE: '0' })).toThrow(
      ConfigError,
    );
    expect(() => loadTranslatorConfig({ TRANSLATION_MODELS: 'huge', TRANSLATION_BATCH_SIZE: '0' })).toThrow(
      /TRANSLATION_MODELS.*TRANSLATION_BATCH_SIZE/,
    );
  });
});
