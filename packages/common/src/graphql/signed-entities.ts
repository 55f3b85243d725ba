import { signRequest } from '../auth/router-signature';

export interface SignedEntitiesCall {
  url: string;
  signingSecret: string;
  timeoutMs: number;
  /** The caller on whose behalf we ask (a user id); the other subgraph sees this identity. */
  asUserId: string;
  /** The end client's address, when the call is made for a client request. */
  clientIp?: string;
  /** `_entities` selection, e.g. `... on User { id systemLanguage }`. */
  selection: string;
  representations: Array<Record<string, unknown>>;
}

/**
 * Resolves entities through another subgraph's `_entities`, signed like the router's requests, so
 * a service never reads another schema's tables. One element per representation, null where
 * the other subgraph does not know it.
 */
export async function fetchEntities<T>(call: SignedEntitiesCall): Promise<Array<T | null>> {
  const body = JSON.stringify({
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ${call.selection} } }`,
    variables: { r: call.representations },
  });
  const response = await fetch(call.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signRequest(call.signingSecret, { userId: call.asUserId, clientIp: call.clientIp ?? '' }, body),
    },
    body,
    signal: AbortSignal.timeout(call.timeoutMs),
  });
  const result = (await response.json().catch(() => ({}))) as {
    data?: { _entities?: Array<T | null> };
    errors?: Array<{ message?: string }>;
  };
  if (!response.ok || !result.data?._entities || result.errors?.length) {
    const detail = result.errors?.map((error) => error.message).join('; ') ?? '';
    throw new Error(`${call.url} answered ${response.status} ${detail}`.trim());
  }
  return result.data._entities;
}
