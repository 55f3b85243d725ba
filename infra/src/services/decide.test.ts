import { decideAction, notInstalledMessage, remoteUnreachableMessage, type ServiceFacts } from './decide';

const facts = (overrides: Partial<ServiceFacts>): ServiceFacts => ({
  answers: false,
  isLocal: true,
  installed: true,
  canInstall: false,
  ...overrides,
});

describe('decideAction', () => {
  it('uses a server that answers, wherever it is and whatever is installed', () => {
    for (const isLocal of [true, false]) {
      for (const installed of [true, false]) {
        for (const canInstall of [true, false]) {
          expect(decideAction({ answers: true, isLocal, installed, canInstall })).toEqual({ kind: 'use' });
        }
      }
    }
  });

  it('never starts or installs anything for a remote URL', () => {
    for (const installed of [true, false]) {
      for (const canInstall of [true, false]) {
        expect(decideAction(facts({ isLocal: false, installed, canInstall }))).toEqual({
          kind: 'fail',
          reason: 'remote-unreachable',
        });
      }
    }
  });

  it('starts a local server that is installed but stopped', () => {
    expect(decideAction(facts({ installed: true, canInstall: false }))).toEqual({ kind: 'start' });
    expect(decideAction(facts({ installed: true, canInstall: true }))).toEqual({ kind: 'start' });
  });

  it('installs a missing local server only when it may', () => {
    expect(decideAction(facts({ installed: false, canInstall: true }))).toEqual({ kind: 'install-then-start' });
    expect(decideAction(facts({ installed: false, canInstall: false }))).toEqual({
      kind: 'fail',
      reason: 'not-installed',
    });
  });
});

describe('failure messages', () => {
  const one = { names: ['PostgreSQL'], packages: ['postgresql'], envVars: ['DATABASE_URL'] };

  it('tells a non-root user on Debian the exact sudo command', () => {
    const message = notInstalledMessage({ ...one, hasApt: true, isRoot: false });
    expect(message).toContain('`sudo apt-get install -y postgresql`');
    expect(message).toContain('pnpm services:ensure');
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('\n');
  });

  it('drops sudo for root (auto-install turned off) and lists every missing package', () => {
    const message = notInstalledMessage({
      names: ['PostgreSQL', 'Redis', 'RabbitMQ'],
      packages: ['postgresql', 'redis-server', 'rabbitmq-server'],
      envVars: ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL'],
      hasApt: true,
      isRoot: true,
    });
    expect(message).toContain('PostgreSQL, Redis and RabbitMQ are not installed');
    expect(message).toContain('`apt-get install -y postgresql redis-server rabbitmq-server`');
    expect(message).not.toContain('sudo');
    expect(message).toContain('DATABASE_URL, REDIS_URL and AMQP_URL');
  });

  it('without apt-get, names the packages and the variable to point elsewhere', () => {
    const message = notInstalledMessage({ ...one, hasApt: false, isRoot: false });
    expect(message).toContain('apt-get is not available');
    expect(message).toContain('postgresql');
    expect(message).toContain('DATABASE_URL');
  });

  it('says a remote server is not started from here', () => {
    const message = remoteUnreachableMessage('Redis', 'redis://cache:6379', 'REDIS_URL', 'ECONNREFUSED');
    expect(message).toBe(
      'Redis at redis://cache:6379 does not answer (ECONNREFUSED); it is not on this machine, so it is not started from here: start it there, or fix REDIS_URL',
    );
  });
});
