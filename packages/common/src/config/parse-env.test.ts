import { z } from 'zod';
import { commonEnv, refineProductionSecrets } from './common-env';
import { ConfigError, parseEnv } from './parse-env';

const schema = z.object({ ...commonEnv, PORT: z.coerce.number().int().min(1) }).superRefine(refineProductionSecrets);

describe('parseEnv', () => {
  it('fills documented defaults', () => {
    const env = parseEnv('svc', schema, { PORT: '4100' });
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/parley',
      REDIS_URL: 'redis://127.0.0.1:6379',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      PORT: 4100,
    });
  });

  it('reports every bad value in one error', () => {
    try {
      parseEnv('svc', schema, { PORT: 'abc', DATABASE_URL: 'not a url', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(
        ['DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'PORT'].sort(),
      );
      expect(message).toMatch(/^svc: invalid configuration: /);
    }
  });

  it('refuses the development secrets in production', () => {
    expect(() => parseEnv('svc', schema, { PORT: '1', NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: must be set in production; SUBGRAPH_SIGNING_SECRET: must be set in production/,
    );
    expect(() =>
      parseEnv('svc', schema, {
        PORT: '1',
        NODE_ENV: 'production',
        JWT_SECRET: 'a'.repeat(32),
        SUBGRAPH_SIGNING_SECRET: 'b'.repeat(32),
      }),
    ).not.toThrow();
  });
});
