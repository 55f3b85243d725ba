import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, PUBLIC_ERROR_CODES } from './errors';

/**
 * Shapes an error for a client: keeps the message and code of errors we raise on purpose (and of
 * GraphQL's own parse/validation errors), replaces everything else so that no stack trace, SQL or
 * internal message leaves the process. `onInternal` sees the original for logging.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  onInternal?: (formatted: GraphQLFormattedError) => void,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_ERROR_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  onInternal?.(formatted);
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
