import { formatCommand, isLocalUrl, redactUrl, urlPort } from './local';

describe('isLocalUrl', () => {
  it('recognises loopback names and addresses and this host', () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/parley',
      'postgres://localhost/parley',
      'redis://127.0.0.2:6379',
      'redis://[::1]:6379',
      'amqp://guest:guest@0.0.0.0:5672',
      'amqp://guest:guest@api.localhost:5672',
      'redis://devbox:6379',
    ]) {
      expect(isLocalUrl(url, 'devbox')).toBe(true);
    }
  });

  it('treats every other host as remote', () => {
    for (const url of [
      'postgres://db.internal:5432/parley',
      'redis://10.0.0.4:6379',
      'amqp://rabbit:5672',
      'nonsense',
    ]) {
      expect(isLocalUrl(url, 'devbox')).toBe(false);
    }
  });
});

describe('URL helpers', () => {
  it('hides passwords', () => {
    expect(redactUrl('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/parley')).toBe('postgres://postgres@127.0.0.1:5432/parley');
  });

  it('reads the port, with a default', () => {
    expect(urlPort('redis://127.0.0.1:6390', 6379)).toBe(6390);
    expect(urlPort('redis://127.0.0.1', 6379)).toBe(6379);
  });

  it('quotes what a shell would split', () => {
    expect(formatCommand('redis-server', ['--daemonize', 'yes', '--save', ''])).toBe(
      "redis-server --daemonize yes --save ''",
    );
  });
});
