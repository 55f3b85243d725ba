import type { GraphQLFormattedError } from 'graphql';
import { CONTRACT_CODE_OF, ErrorCode, PUBLIC_ERROR_CODES } from './errors';

/**
 * Shapes an error for a client: keeps the message and code of errors we raise on purpose (and of
 * GraphQL's own parse/validation errors), replaces everything else so that no stack trace, SQL or
 * internal message leaves the process. `onInternal` sees the original for logging.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  onInternal?: (formatted: GraphQLFormattedError) => void,
): GraphQLFormattedError {
  const given = formatted.extensions?.code;
  const code = typeof given === 'string' ? (CONTRACT_CODE_OF[given] ?? given) : undefined;
  if (code !== undefined && PUBLIC_ERROR_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // serviceName: the gateway's note of which subgraph failed, an internal name.
    const {
      stacktrace: _stacktrace,
      exception: _exception,
      serviceName: _service,
      ...extensions
    } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, code } };
  }
  onInternal?.(formatted);
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
