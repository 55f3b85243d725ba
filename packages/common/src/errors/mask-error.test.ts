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

  it("answers Apollo's codes outside the contract's list with the contract's own", () => {
    const request = maskError({ message: 'POST body missing', extensions: { code: 'BAD_REQUEST' } });
    expect(request.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    const operation = maskError({ message: 'Unknown operation', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    expect(operation.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it("drops the gateway's serviceName, which names a subgraph", () => {
    const masked = maskError({ message: 'Not found', extensions: { code: 'NOT_FOUND', serviceName: 'messages' } });
    expect(masked).toEqual({ message: 'Not found', extensions: { code: 'NOT_FOUND' } });
  });

  it('masks errors without a code', () => {
    expect(maskError({ message: 'boom' }).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
