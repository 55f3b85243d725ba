import { ConfigError } from '@parley/common';
import { loadEnsureEnv, loadStartEnv, option } from './env';

describe('start options', () => {
  it('has working defaults', () => {
    const env = loadStartEnv({});
    expect(env.START_SERVICES.map((spec) => spec.name)).toContain('router');
    expect(env.START_TIMEOUT_MS).toBe(90_000);
    expect(env.START_STOP_GRACE_MS).toBe(15_000);
    expect(env.START_BACKING_SERVICES).toBe('ensure');
    expect(env.START_AUTO_INSTALL).toBe(true);
    expect(env.START_LOG_FORMAT).toBe('pretty');
    expect(option(env, 'ROUTER_PORT')).toBe(4000);
    expect(option(env, 'USERS_PORT')).toBe(4001);
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/parley');
  });

  it('reads every option from the environment', () => {
    const env = loadStartEnv({
      START_SERVICES: 'users',
      START_TIMEOUT_MS: '5000',
      START_AUTO_INSTALL: 'false',
      START_BACKING_SERVICES: 'check',
      USERS_PORT: '5001',
    });
    expect(env.START_SERVICES.map((spec) => spec.name)).toEqual(['users']);
    expect(env.START_TIMEOUT_MS).toBe(5000);
    expect(env.START_AUTO_INSTALL).toBe(false);
    expect(env.START_BACKING_SERVICES).toBe('check');
    expect(option(env, 'USERS_PORT')).toBe(5001);
  });

  it('reports every bad value at once', () => {
    try {
      loadStartEnv({ START_SERVICES: 'nope', START_TIMEOUT_MS: 'soon', START_LOG_FORMAT: 'xml' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('START_SERVICES: unknown service nope');
      expect(message).toContain('START_TIMEOUT_MS');
      expect(message).toContain('START_LOG_FORMAT');
    }
  });

  it('refuses development secrets in production', () => {
    expect(() => loadEnsureEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set in production/);
  });
});
