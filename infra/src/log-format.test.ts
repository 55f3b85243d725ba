import { formatChildLine, parsePinoLine } from './log-format';

const base = { name: 'users', width: 8, format: 'pretty' as const, color: false, clock: () => '12:00:00.000' };
const pino = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: 1, pid: 42, hostname: 'box', service: 'users', name: 'users', ...fields });

describe('child output', () => {
  it('shortens pino lines to time, level, message and extra fields', () => {
    expect(
      formatChildLine(pino({ url: 'http://127.0.0.1:4001/graphql', msg: 'users subgraph listening' }), base),
    ).toEqual(['users    | 12:00:00.000 INFO  users subgraph listening url=http://127.0.0.1:4001/graphql']);
  });

  it('shows levels, other services, quoted strings and objects compactly', () => {
    const [line] = formatChildLine(
      pino({ level: 40, service: 'orm', msg: 'slow', note: 'two words', applied: ['a', 'b'] }),
      base,
    );
    expect(line).toBe('users    | 12:00:00.000 WARN  [orm] slow note="two words" applied=["a","b"]');
  });

  it('prints an error summary, and the stack for errors', () => {
    const lines = formatChildLine(
      pino({
        level: 50,
        msg: 'boom',
        err: {
          type: 'Error',
          message: 'bad',
          code: 'E1',
          stack: 'Error: bad\n    at f (a.ts:1:1)\n    at g (b.ts:2:2)',
        },
      }),
      base,
    );
    expect(lines).toEqual([
      'users    | 12:00:00.000 ERROR boom err=Error [E1]: bad',
      'users    |     at f (a.ts:1:1)',
      'users    |     at g (b.ts:2:2)',
    ]);
  });

  it('indents the rest of a multi-line message', () => {
    expect(formatChildLine(pino({ msg: 'Gateway loaded.\n\t* Mode: unmanaged' }), base)).toEqual([
      'users    | 12:00:00.000 INFO  Gateway loaded.',
      'users    |     * Mode: unmanaged',
    ]);
  });

  it('passes other lines through, and everything in json mode', () => {
    expect(formatChildLine('plain text', base)).toEqual(['users    | plain text']);
    expect(formatChildLine('{"not":"pino"}', base)).toEqual(['users    | {"not":"pino"}']);
    const raw = pino({ msg: 'x' });
    expect(formatChildLine(raw, { ...base, format: 'json' })).toEqual([`users    | ${raw}`]);
  });

  it('colours when asked', () => {
    const [line] = formatChildLine(pino({ msg: 'hi' }), { ...base, color: true, prefixColor: 35 });
    expect(line).toContain('\u001b[35musers   \u001b[0m');
    expect(line).toContain('\u001b[32mINFO \u001b[0m');
  });

  it('recognises pino lines only', () => {
    expect(parsePinoLine(pino({ msg: 'x' }))).toMatchObject({ msg: 'x' });
    expect(parsePinoLine('{"level":"info"}')).toBeUndefined();
    expect(parsePinoLine('{broken')).toBeUndefined();
  });
});
