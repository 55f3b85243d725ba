import { GraphQLError } from 'graphql';

/** The error codes of the public contract. Clients branch on these, so they never change. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** GraphQL's own codes for a document that does not parse or validate, which the contract lists too. */
export const GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED';
export const GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';

/**
 * The code of a request refused before its operation runs (malformed or oversize body, no query,
 * a batch, a subscription over HTTP): the contract lists no code of its own for these (Apollo's
 * BAD_REQUEST is not among them), so they carry the one for bad input; the HTTP status (400, 405,
 * 413) tells them apart.
 */
export const REQUEST_ERROR_CODE = ErrorCode.BAD_USER_INPUT;

/** Codes that may reach a client as they are; anything else is masked as INTERNAL_SERVER_ERROR. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode),
  GRAPHQL_PARSE_FAILED,
  GRAPHQL_VALIDATION_FAILED,
  // Automatic persisted queries: the client sends the whole query again on these.
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Apollo Server's codes outside the contract's list, and the listed code each is answered with. */
export const CONTRACT_CODE_OF: Readonly<Record<string, string>> = {
  BAD_REQUEST: REQUEST_ERROR_CODE,
  OPERATION_RESOLUTION_FAILURE: GRAPHQL_VALIDATION_FAILED,
};

abstract class ParleyError extends GraphQLError {
  abstract readonly code: ErrorCode;
  protected constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class UnauthenticatedError extends ParleyError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  /** `extensions` adds to the code, e.g. `{ http: { status: 401 } }` where a whole request is refused. */
  constructor(message = 'Authentication required', extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.UNAUTHENTICATED, extensions);
  }
}

export class ForbiddenError extends ParleyError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message = 'Forbidden') {
    super(message, ErrorCode.FORBIDDEN);
  }
}

export class NotFoundError extends ParleyError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(message = 'Not found') {
    super(message, ErrorCode.NOT_FOUND);
  }
}

export class BadUserInputError extends ParleyError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  /** @param field the input field at fault, so forms can point at it */
  constructor(message: string, field?: string) {
    super(message, ErrorCode.BAD_USER_INPUT, field ? { field } : {});
  }
}

export class ConflictError extends ParleyError {
  readonly code = ErrorCode.CONFLICT;
  constructor(message: string) {
    super(message, ErrorCode.CONFLICT);
  }
}

export class RateLimitedError extends ParleyError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(retryAfterSeconds: number) {
    super(`Too many attempts; retry in ${retryAfterSeconds} s`, ErrorCode.RATE_LIMITED, { retryAfterSeconds });
  }
}

export class InternalError extends ParleyError {
  readonly code = ErrorCode.INTERNAL_SERVER_ERROR;
  constructor() {
    super('Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
  }
}
