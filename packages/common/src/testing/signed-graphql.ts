import { randomBytes } from 'node:crypto';
import { DEV_SIGNING_SECRET } from '../config/common-env';
import { signRequest, type SignedIdentity } from '../auth/router-signature';
import { ROUTER_EXTENSIONS_KEY, type RouterExtensions } from '../realtime/router-extensions';

/*
 * Test support (`@parley/common/testing`): calling a subgraph exactly as the router does. Only
 * tests import it.
 */

export interface GraphQLReply<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
}

/** A made-up client address, so per-address limits of one test never touch another's. */
export const testClientIp = (): string => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/**
 * Calls a subgraph as the router does: the body signed with the caller's identity, with the
 * router's extensions (`extensions.parley`: subscription step, viewer language) when given.
 */
export async function signedGraphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  identity: SignedIdentity,
  routerExtensions?: RouterExtensions,
): Promise<GraphQLReply<T>> {
  const body = JSON.stringify({
    query,
    variables,
    ...(routerExtensions && { extensions: { [ROUTER_EXTENSIONS_KEY]: routerExtensions } }),
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signRequest(DEV_SIGNING_SECRET, identity, body) },
    body,
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLReply<T>, 'status'>) };
}

/** The data of a call that must succeed; throws with the errors otherwise. */
export async function signedData<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  identity: SignedIdentity,
  routerExtensions?: RouterExtensions,
): Promise<T> {
  const reply = await signedGraphql<T>(url, query, variables, identity, routerExtensions);
  if (reply.errors?.length || !reply.data) throw new Error(`GraphQL errors: ${JSON.stringify(reply.errors)}`);
  return reply.data;
}

export const errorCodes = (reply: GraphQLReply<unknown>): unknown[] =>
  (reply.errors ?? []).map((error) => error.extensions?.code);

/** `signedGraphql` on behalf of `userId` ('' = anonymous) from the loopback address. */
export function signedRequest<T = Record<string, any>>(
  url: string,
  userId: string,
  query: string,
  variables: Record<string, unknown> = {},
  routerExtensions?: RouterExtensions,
): Promise<GraphQLReply<T>> {
  return signedGraphql<T>(url, query, variables, { userId, clientIp: '127.0.0.1' }, routerExtensions);
}

/** `signedData` on behalf of `userId`. */
export function signedRequestData<T = Record<string, any>>(
  url: string,
  userId: string,
  query: string,
  variables: Record<string, unknown> = {},
  routerExtensions?: RouterExtensions,
): Promise<T> {
  return signedData<T>(url, query, variables, { userId, clientIp: '127.0.0.1' }, routerExtensions);
}
