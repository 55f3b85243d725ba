import { createLogger } from './logger';
import { runProbes, withTimeout } from './probes';

describe('withTimeout', () => {
  it('passes a value through', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'slow')).resolves.toBe(7);
  });

  it('rejects with the message when the promise is too slow', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'too slow')).rejects.toThrow('too slow');
  });
});

describe('runProbes', () => {
  it('names what is down, whether it failed or hung', async () => {
    const report = await runProbes(
      {
        ok: async () => undefined,
        failing: async () => {
          throw new Error('no');
        },
        hanging: () => new Promise(() => undefined),
      },
      20,
      createLogger('test', 'silent'),
    );
    expect(report.checks).toEqual({ ok: 'up', failing: 'down', hanging: 'down' });
    expect(report.down.sort()).toEqual(['failing', 'hanging']);
  });
});
