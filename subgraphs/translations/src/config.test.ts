import { ConfigError, DEV_SIGNING_SECRET } from '@parley/common';
import { loadTranslationsConfig } from './config';

describe('loadTranslationsConfig', () => {
  it('has working defaults', () => {
    const config = loadTranslationsConfig({});
    expect(config).toMatchObject({
      TRANSLATIONS_HOST: '127.0.0.1',
      TRANSLATIONS_PORT: 4005,
      USERS_URL: 'http://127.0.0.1:4001/graphql',
      TRANSLATOR_URL: 'http://127.0.0.1:4006',
      TRANSLATOR_TIMEOUT_MS: 15_000,
      TRANSLATE_RATE_LIMIT: 60,
      AMQP_PREFIX: '',
      TRANSLATION_REQUEST_TTL_SECONDS: 60,
      ON_DEMAND_TRANSLATION_RATE_LIMIT: 600,
      ON_DEMAND_TRANSLATIONS: true,
      TRANSLATION_REQUEST_PUBLISH_TIMEOUT_MS: 5_000,
      SUBGRAPH_SIGNING_SECRET: DEV_SIGNING_SECRET,
      SUBGRAPH_MAX_BODY_BYTES: 64 * 1024 * 1024,
    });
    expect(loadTranslationsConfig({ SUBGRAPH_MAX_BODY_BYTES: '2000000' }).SUBGRAPH_MAX_BODY_BYTES).toBe(2_000_000);
    expect(() => loadTranslationsConfig({ SUBGRAPH_MAX_BODY_BYTES: '10' })).toThrow(/SUBGRAPH_MAX_BODY_BYTES/);
  });

  it('reports every bad value at once', () => {
    expect(() =>
      loadTranslationsConfig({ TRANSLATIONS_PORT: 'x', TRANSLATOR_URL: 'nope', TRANSLATE_RATE_LIMIT: '0' }),
    ).toThrow(ConfigError);
    try {
      loadTranslationsConfig({ TRANSLATIONS_PORT: 'x', TRANSLATOR_URL: 'nope', TRANSLATE_RATE_LIMIT: '0' });
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadTranslationsConfig({ NODE_ENV: 'production' })).toThrow(/SUBGRAPH_SIGNING_SECRET/);
  });
});
