import { maskError } from './mask-error';

describe('maskError', () => {
  it('keeps the message and code of errors raised on purpose, without stack traces', () => {
    const masked = maskError({
      message: 'You are not a member of this conversation',
      path: ['conversation'],
      extensions: { code: 'FORBIDDEN', stacktrace: ['at x (file.ts:1:1)'] },
    });
    expect(masked).toEqual({
      message: 'You are not a member of this conversation',
      path: ['conversation'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('replaces anything else, and hands the original to the logger', () => {
    const seen: unknown[] = [];
    const masked = maskError(
      { message: 'relation "users.user_account" does not exist', extensions: { code: 'SOMETHING', sql: 'select *' } },
      (original) => seen.push(original),
    );
    expect(masked).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(seen).toHaveLength(1);
  });

  it('masks errors without a code', () => {
    expect(maskError({ message: 'boom' }).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
