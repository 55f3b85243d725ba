import { classifyPostgresError, parseConfPort, pickCluster, type PgCluster } from './postgres';
import { classifyRabbitError } from './rabbitmq';
import { classifyRedisError } from './redis';
import { describeError } from './types';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('probe error classification', () => {
  it('PostgreSQL: unreachable is down, refusals are rejected, a missing database is fine', () => {
    expect(classifyPostgresError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')).status).toBe('down');
    expect(classifyPostgresError(withCode('the database system is starting up', '57P03')).status).toBe('down');
    expect(classifyPostgresError(withCode('password authentication failed for user "x"', '28P01')).status).toBe(
      'rejected',
    );
    expect(
      classifyPostgresError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')).status,
    ).toBe('rejected');
    expect(classifyPostgresError(withCode('database "parley" does not exist', '3D000')).status).toBe('ok');
  });

  it('Redis: auth errors are rejected, the rest down', () => {
    expect(classifyRedisError(new Error('WRONGPASS invalid username-password pair')).status).toBe('rejected');
    expect(classifyRedisError(new Error('NOAUTH Authentication required.')).status).toBe('rejected');
    expect(classifyRedisError(withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')).status).toBe('down');
    expect(classifyRedisError(new Error('LOADING Redis is loading the dataset in memory')).status).toBe('down');
  });

  it('RabbitMQ: ACCESS_REFUSED is rejected, the rest down', () => {
    expect(classifyRabbitError(withCode('undefined: ACCESS_REFUSED - Login was refused', 'ACCESS_REFUSED'))).toEqual({
      status: 'rejected',
      detail: 'ACCESS_REFUSED - Login was refused',
    });
    expect(classifyRabbitError(withCode('connect ECONNREFUSED 127.0.0.1:5672', 'ECONNREFUSED')).status).toBe('down');
  });

  it('describes errors on one line with their code', () => {
    expect(describeError(withCode('getaddrinfo\nfailed', 'ENOTFOUND'))).toBe('ENOTFOUND: getaddrinfo failed');
    expect(describeError(new AggregateError([withCode('refused', 'ECONNREFUSED')]))).toBe('ECONNREFUSED: refused');
  });
});

describe('PostgreSQL clusters', () => {
  it('reads the port of a postgresql.conf', () => {
    expect(parseConfPort("listen_addresses = 'localhost'\nport = 5433\t\t# (change requires restart)\n")).toBe(5433);
    expect(parseConfPort('#port = 5433\n')).toBe(5432);
  });

  it('picks the newest cluster on the URL port', () => {
    const clusters: PgCluster[] = [
      { version: '15', name: 'main', port: 5432, confDir: '/etc/postgresql/15/main' },
      { version: '16', name: 'main', port: 5432, confDir: '/etc/postgresql/16/main' },
      { version: '16', name: 'other', port: 5433, confDir: '/etc/postgresql/16/other' },
    ];
    expect(pickCluster(clusters, 5432)?.confDir).toBe('/etc/postgresql/16/main');
    expect(pickCluster(clusters, 5433)?.name).toBe('other');
    expect(pickCluster(clusters, 5439)).toBeUndefined();
  });
});
