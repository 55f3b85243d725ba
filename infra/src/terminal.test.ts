import { checkNodeVersion, databaseName } from './steps';
import { Steps, Terminal } from './terminal';

function capture() {
  let text = '';
  return { out: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text };
}

describe('progress lines', () => {
  it('completes a step on its own line', async () => {
    const { out, text } = capture();
    const steps = new Steps(new Terminal(out, false), 2);
    await steps.run(
      'PostgreSQL',
      async () => 1,
      () => '',
    );
    await steps.run(
      'Redis',
      async () => 2,
      (n) => `(${n})`,
    );
    expect(text()).toBe('[1/2] PostgreSQL … ok\n[2/2] Redis … ok (2)\n');
  });

  it('repeats the head when lines came in between, and marks failures', async () => {
    const { out, text } = capture();
    const steps = new Steps(new Terminal(out, false), 2);
    await steps.run(
      'RabbitMQ',
      async (say) => {
        say('starting it');
      },
      () => '(started)',
    );
    await expect(
      steps.run(
        'database',
        async () => {
          throw new Error('no');
        },
        () => '',
      ),
    ).rejects.toThrow('no');
    expect(text()).toBe(
      '[1/2] RabbitMQ …\n      starting it\n[1/2] RabbitMQ … ok (started)\n[2/2] database … failed\n',
    );
  });
});

describe('start checks', () => {
  it('wants Node 22', () => {
    expect(() => checkNodeVersion('20.20.2')).toThrow(/Node 20.20.2 is too old/);
    expect(() => checkNodeVersion('22.23.3')).not.toThrow();
  });

  it('reads the database name', () => {
    expect(databaseName('postgres://postgres@127.0.0.1:5432/parley')).toBe('parley');
    expect(databaseName('postgres://postgres@127.0.0.1:5432')).toBe('postgres');
  });
});
