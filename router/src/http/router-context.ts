import { ErrorCode } from '@parley/common';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { authenticate } from '../auth/bearer';
import type { VerifiedTokens } from '../auth/verified-tokens';
import type { RouterContext } from '../context';
import { clientIp } from './client-ip';

/**
 * The context of an HTTP operation: the caller from its bearer token (a bad token is a 401, never
 * an anonymous caller) and its address under the `trust proxy` hop count.
 */
export function routerContextOf(tokens: VerifiedTokens, trustedProxyHops: number) {
  return async (req: IncomingMessage): Promise<RouterContext> => {
    const ip = clientIp(req, trustedProxyHops) ?? req.socket.remoteAddress ?? '';
    const caller = await authenticate(req.headers.authorization, tokens);
    if (caller.kind === 'invalid') {
      throw new GraphQLError(caller.reason === 'expired' ? 'Token expired' : 'Invalid token', {
        extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
      });
    }
    return { userId: caller.kind === 'user' ? caller.userId : '', clientIp: ip };
  };
}
