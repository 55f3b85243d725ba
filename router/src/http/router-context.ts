import type { IncomingMessage } from 'node:http';
import { authenticate } from '../auth/bearer';
import type { VerifiedTokens } from '../auth/verified-tokens';
import type { RouterContext } from '../context';
import { clientIp } from './client-ip';

/**
 * The context of an HTTP operation: the caller from its bearer token and its address under the
 * `trust proxy` hop count. A bad or expired token makes an anonymous caller that remembers why
 * (`tokenProblem`): the public operations still work, so an app holding a stale token can sign in
 * again, and anything else is refused with that reason (publicOperationsPlugin).
 */
export function routerContextOf(tokens: VerifiedTokens, trustedProxyHops: number) {
  return async (req: IncomingMessage): Promise<RouterContext> => {
    const ip = clientIp(req, trustedProxyHops) ?? req.socket.remoteAddress ?? '';
    const caller = await authenticate(req.headers.authorization, tokens);
    if (caller.kind === 'invalid') {
      return {
        userId: '',
        clientIp: ip,
        tokenProblem: caller.reason === 'expired' ? 'Token expired' : 'Invalid token',
      };
    }
    return { userId: caller.kind === 'user' ? caller.userId : '', clientIp: ip };
  };
}
